package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVolumeCreateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "create NAME",
		Short: "Create a named volume",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.client().CreateVolume(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Println(v.Name)
			return nil
		},
	}
}
