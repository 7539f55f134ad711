package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRmiCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rmi IMAGE...",
		Short: "Remove image names from the store",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, ref := range args {
				if err := g.client().RemoveImage(cmd.Context(), ref); err != nil {
					return err
				}
				fmt.Println("Untagged: " + ref)
			}
			return nil
		},
	}
}
