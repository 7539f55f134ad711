package main

import (
	"github.com/spf13/cobra"
)

func newRenameCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rename CONTAINER NEW_NAME",
		Short: "Rename a container (its DNS name too)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.client().Rename(cmd.Context(), args[0], args[1])
		},
	}
}
