package main

import (
	"github.com/spf13/cobra"
)

func newNetworkConnectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "connect NETWORK CONTAINER",
		Short: "Join a running container to a network (a new ethN)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.client().Connect(cmd.Context(), args[0], args[1])
		},
	}
}
