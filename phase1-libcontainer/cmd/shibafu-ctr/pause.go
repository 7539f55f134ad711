package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newPauseCmd(m *container.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "pause ID",
		Short: "Freeze every process of a container",
		Long: `pause freezes all processes of container ID with the freezer cgroup: they
stay in memory but get no CPU time until resume.`,
		Example: `  shibafu-ctr pause web`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.Pause(args[0])
		},
	}
}
