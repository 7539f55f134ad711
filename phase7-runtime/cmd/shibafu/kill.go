package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newKillCmd(g *globals) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [flags] CONTAINER...",
		Short: "Send a signal to containers (default KILL)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range args {
				if err := g.client().Kill(cmd.Context(), id, signal); err != nil {
					return err
				}
				fmt.Println(id)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "KILL", "signal name or number")
	return cmd
}
