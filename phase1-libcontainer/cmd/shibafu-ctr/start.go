package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newStartCmd(m *container.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "start ID",
		Short: "Start a created container",
		Long: `start lets the init of a created container exec its command, the
equivalent of runc start. The container keeps running in the background.`,
		Example: `  shibafu-ctr start web`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.Start(args[0])
		},
	}
}
