// Command shibafu-bundle makes OCI bundles and runs them with the real runc
// binary: phase 0 of Shibafu.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/runc"
)

func main() {
	err := newRootCmd().Execute()
	if e, ok := err.(exitError); ok {
		// The container's own output already said what happened.
		os.Exit(e.code)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shibafu-bundle:", err)
		os.Exit(errorExit)
	}
}

// errorExit is the exit code for shibafu-bundle's own failures, as docker
// uses it, so that they differ from the exit codes of containers.
const errorExit = 125

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

// exitError carries a container's exit code out of a command, so that
// `shibafu-bundle run` exits as the container did.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("container exited with code %d", e.code) }
