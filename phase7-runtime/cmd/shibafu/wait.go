package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newWaitCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "wait CONTAINER...",
		Short: "Wait until containers exit, and print their exit codes",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range args {
				resp, err := g.client().Wait(cmd.Context(), id)
				if err != nil {
					return err
				}
				fmt.Println(resp.ExitCode)
			}
			return nil
		},
	}
}
