package main

import (
	"github.com/spf13/cobra"
)

func newTagCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "tag SOURCE TARGET",
		Short: "Give an image a further name, such as a registry reference to push to",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.client().Tag(cmd.Context(), args[0], args[1])
		},
	}
}
