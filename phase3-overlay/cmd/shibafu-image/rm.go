package main

import "github.com/spf13/cobra"

func newRemoveCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "rm IMAGE...",
		Aliases: []string{"rmi"},
		Short:   "Remove image names (their blobs go at the next gc)",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			images, err := g.images()
			if err != nil {
				return err
			}
			for _, ref := range args {
				if err := images.Remove(ref); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
