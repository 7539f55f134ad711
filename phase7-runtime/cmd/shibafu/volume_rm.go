package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVolumeRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm VOLUME...",
		Short: "Remove named volumes, and their data, that no container mounts",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range args {
				if err := g.client().RemoveVolume(cmd.Context(), name); err != nil {
					return err
				}
				fmt.Println(name)
			}
			return nil
		},
	}
}
