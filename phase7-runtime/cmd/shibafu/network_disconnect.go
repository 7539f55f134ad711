package main

import (
	"github.com/spf13/cobra"
)

func newNetworkDisconnectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "disconnect NETWORK CONTAINER",
		Short: "Take a running container off a network",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.client().Disconnect(cmd.Context(), args[0], args[1])
		},
	}
}
