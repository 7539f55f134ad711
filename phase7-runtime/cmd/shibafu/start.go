package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newStartCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "start CONTAINER...",
		Short: "Start exited containers again",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range args {
				if err := g.client().Start(cmd.Context(), id); err != nil {
					return err
				}
				fmt.Println(id)
			}
			return nil
		},
	}
}
