package main

import (
	"errors"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/sandbox"
)

func newRemoveCmd(m *sandbox.Manager) *cobra.Command {
	return &cobra.Command{
		Use:     "rm NAME...",
		Aliases: []string{"remove"},
		Short:   "Remove networks",
		Long: `rm deletes each network's iptables rules, its bridge and its records. A
network that still has containers is refused: stop or disconnect them
first.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs []error
			for _, name := range args {
				errs = append(errs, m.Networks().Remove(cmd.Context(), name))
			}
			return errors.Join(errs...)
		},
	}
}
