package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newRootCmd() *cobra.Command {
	m := &container.Manager{}
	root := &cobra.Command{
		Use:   "shibafu-ctr",
		Short: "Run containers with libcontainer",
		Long: `shibafu-ctr creates and runs containers from Go through libcontainer, the
engine inside runc: namespaces, cgroups, mounts and capabilities, without
the runc binary. It is phase 1 of Shibafu.

Foreground containers stream their output here and shibafu-ctr exits with
their exit code. Detached containers (run -d, create) are watched by a
shim process that records their exit status; their output goes to log
files (see logs). shibafu-ctr's own errors exit with code 125.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&m.Root, "root", container.DefaultRoot, "state root directory")

	root.AddCommand(
		newRunCmd(m),
		newCreateCmd(m),
		newStartCmd(m),
		newExecCmd(m),
		newPsCmd(m),
		newKillCmd(m),
		newPauseCmd(m),
		newResumeCmd(m),
		newStateCmd(m),
		newStatsCmd(m),
		newLogsCmd(m),
		newDeleteCmd(m),
	)
	return root
}
