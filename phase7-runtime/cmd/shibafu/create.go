package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCreateCmd(g *globals) *cobra.Command {
	var flags runFlags
	cmd := &cobra.Command{
		Use:   "create [flags] IMAGE [COMMAND [ARG...]]",
		Short: "Create a container without starting it (start starts it)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req, err := flags.request(cmd.Context(), cmd, g.client(), args)
			if err != nil {
				return err
			}
			c, err := g.client().Create(cmd.Context(), req)
			if err != nil {
				return err
			}
			fmt.Println(c.ID)
			return nil
		},
	}
	flags.add(cmd)
	return cmd
}
