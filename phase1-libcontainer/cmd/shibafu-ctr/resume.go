package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newResumeCmd(m *container.Manager) *cobra.Command {
	return &cobra.Command{
		Use:     "resume ID",
		Short:   "Thaw a paused container",
		Long:    `resume thaws the processes of paused container ID.`,
		Example: `  shibafu-ctr resume web`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.Resume(args[0])
		},
	}
}
