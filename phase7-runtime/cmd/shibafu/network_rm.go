package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newNetworkRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NETWORK...",
		Short: "Remove networks that no container is on",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range args {
				if err := g.client().RemoveNetwork(cmd.Context(), name); err != nil {
					return err
				}
				fmt.Println(name)
			}
			return nil
		},
	}
}
