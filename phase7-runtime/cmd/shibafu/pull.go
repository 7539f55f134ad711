package main

import (
	"github.com/spf13/cobra"
)

func newPullCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "pull HOST/NAME[:TAG]",
		Short: "Pull an image from a registry, with progress",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pull(cmd.Context(), g.client(), args[0])
		},
	}
}
