// Command shibafu-bundle makes OCI bundles and runs them with the real runc
// binary: phase 0 of Shibafu.
package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase0-runc/runc"
)

func main() {
	cli.Main(newRootCmd())
}

// globals are the flags every subcommand shares.
type globals struct {
	runtime runc.Runtime
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "shibafu-bundle",
		Short: "Make OCI bundles and run them with runc",
		Long: `shibafu-bundle builds OCI bundles (a root filesystem plus a config.json
written with the OCI runtime-spec types) and runs them with the real runc
binary. It is phase 0 of Shibafu: the smallest complete container.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.runtime.Root, "root", runc.DefaultRoot,
		"runc state directory (runc --root)")
	root.PersistentFlags().StringVar(&g.runtime.Binary, "runc", "runc", "runc binary to use")

	root.AddCommand(
		newInitCmd(),
		newSpecCmd(),
		newRunCmd(g),
		newListCmd(g),
		newStateCmd(g),
		newKillCmd(g),
		newDeleteCmd(g),
	)
	return root
}
