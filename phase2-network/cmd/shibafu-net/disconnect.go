package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/sandbox"
)

func newDisconnectCmd(m *sandbox.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "disconnect NETWORK ID",
		Short: "Detach a container from a network",
		Long: `disconnect deletes the container's veth pair on NETWORK and gives its
address back to the pool. It works after the container has exited, too.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.Networks().Detach(cmd.Context(), args[0], args[1])
		},
	}
}
