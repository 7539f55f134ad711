package main

import (
	"errors"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/sandbox"
)

func newStopCmd(m *sandbox.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "stop ID...",
		Short: "Stop and delete containers started by run --detach",
		Long: `stop kills each container if it still runs, deletes it, detaches it from
every network and deletes its network namespace.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs []error
			for _, id := range args {
				errs = append(errs, m.Remove(cmd.Context(), id))
			}
			return errors.Join(errs...)
		},
	}
}
