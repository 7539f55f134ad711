// Command shibafu-registry is an OCI distribution registry and a client
// for it: phase 5 of Shibafu. `serve` runs the registry, `gc` collects
// its garbage, and `push`, `pull`, `tags` and `inspect` move images
// between the phase 3 image store and any registry.
package main

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase5-registry/storage"
)

// defaultRoot is the state root of DESIGN.md.
const defaultRoot = "/var/lib/shibafu"

func main() {
	cli.Main(newRootCmd())
}

// globals are the flags every subcommand shares.
type globals struct {
	root     string
	progress bool
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "shibafu-registry",
		Short: "Serve an OCI registry, and push and pull images to any registry",
		Long: `shibafu-registry serves the OCI distribution API from ROOT/registry (a
content-addressed blob store shared by all repositories), and moves images
between the phase 3 image store (ROOT/images) and any registry. It is phase
5 of Shibafu.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	defRoot := os.Getenv("SHIBAFU_ROOT")
	if defRoot == "" {
		defRoot = defaultRoot
	}
	root.PersistentFlags().StringVar(&g.root, "root", defRoot,
		"state root (default $SHIBAFU_ROOT, else "+defaultRoot+")")
	root.PersistentFlags().BoolVar(&g.progress, "progress", false,
		"show progress bars even when stderr is not a terminal")

	root.AddCommand(newServeCmd(g), newGCCmd(g), newFsckCmd(g),
		newPushCmd(g), newPullCmd(g), newTagsCmd(g), newInspectCmd(g))
	return root
}

// registryStore opens the registry's storage under the state root.
func (g *globals) registryStore(opts storage.Options) (*storage.Store, error) {
	return storage.Open(filepath.Join(g.root, "registry"), opts)
}

// images opens the phase 3 image store under the state root.
func (g *globals) images() (*image.Store, error) {
	return image.Open(filepath.Join(g.root, "images"))
}
