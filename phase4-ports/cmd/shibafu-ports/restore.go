package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase4-ports/portmap"
)

func newRestoreCmd(m *portmap.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "restore",
		Short: "Add again the rules of every recorded port (after a reboot)",
		Long: `restore re-adds the iptables rules of every port recorded under the state
root, for a host whose rules were lost. Rules still present are left
alone, so running it twice changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.Restore(cmd.Context())
		},
	}
}
