package main

import "github.com/spf13/cobra"

func newTagCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "tag IMAGE NAME",
		Short: "Give an image another name",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			images, err := g.images()
			if err != nil {
				return err
			}
			return images.Tag(args[0], args[1])
		},
	}
}
