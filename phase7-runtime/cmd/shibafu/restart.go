package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRestartCmd(g *globals) *cobra.Command {
	var timeout int
	cmd := &cobra.Command{
		Use:   "restart [flags] CONTAINER...",
		Short: "Stop containers and start them again",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var t *int
			if cmd.Flags().Changed("time") {
				t = &timeout
			}
			for _, id := range args {
				if err := g.client().Restart(cmd.Context(), id, t); err != nil {
					return err
				}
				fmt.Println(id)
			}
			return nil
		},
	}
	cmd.Flags().IntVarP(&timeout, "time", "t", 10, "seconds to wait before SIGKILL")
	return cmd
}
