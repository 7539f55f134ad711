// Command shibafu-image keeps OCI images and runs containers on overlay
// snapshots of them: phase 3 of Shibafu.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"
)

func main() {
	container.Reexec()
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
		Use:   "shibafu-image",
		Short: "Keep OCI images and mount them as overlay snapshots",
		Long: `shibafu-image keeps images in an OCI image layout (ROOT/images, readable
by umoci and skopeo), unpacks their layers once each, and prepares container
root filesystems as overlay mounts of those layers (ROOT/snapshots). It is
phase 3 of Shibafu.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	defRoot := os.Getenv("SHIBAFU_ROOT")
	if defRoot == "" {
		defRoot = container.DefaultRoot
	}
	root.PersistentFlags().StringVar(&g.root, "root", defRoot,
		"state root (default $SHIBAFU_ROOT, else "+container.DefaultRoot+")")
	root.PersistentFlags().BoolVar(&g.progress, "progress", false,
		"show progress of long operations even when stderr is not a terminal")

	root.AddCommand(
		newImportCmd(g), newBuildBaseCmd(g), newListCmd(g), newInspectCmd(g),
		newTagCmd(g), newRemoveCmd(g), newExportCmd(g),
		newMountCmd(g), newUnmountCmd(g), newSnapshotsCmd(g), newDiffCmd(g),
		newCommitCmd(g), newGCCmd(g), newRunCmd(g),
	)
	return root
}

// images opens the image store of the state root.
func (g *globals) images() (*image.Store, error) {
	return image.Open(filepath.Join(g.root, "images"))
}

// stores opens the image and snapshot stores of the state root.
func (g *globals) stores() (*image.Store, *snapshot.Store, error) {
	images, err := g.images()
	if err != nil {
		return nil, nil, err
	}
	snapshots, err := snapshot.New(filepath.Join(g.root, "snapshots"), images)
	return images, snapshots, err
}

// progressFunc returns a Progress that draws "LABEL: DONE / TOTAL" on
// stderr, or nil when stderr is not a terminal and --progress is unset.
func (g *globals) progressFunc(label string) image.Progress {
	_, err := unix.IoctlGetTermios(int(os.Stderr.Fd()), unix.TCGETS)
	if err != nil && !g.progress {
		return nil
	}
	return func(done, total int64) {
		if total > 0 {
			fmt.Fprintf(os.Stderr, "\r%s: %s / %s   ", label, mb(done), mb(total))
		} else {
			fmt.Fprintf(os.Stderr, "\r%s: %s   ", label, mb(done))
		}
		if done == total {
			fmt.Fprintln(os.Stderr)
		}
	}
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
