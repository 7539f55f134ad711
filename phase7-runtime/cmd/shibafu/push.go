package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func newPushCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "push HOST/NAME[:TAG]",
		Short: "Push an image to a registry, with progress (name it first with tag)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bar := newProgressBar()
			img, err := g.client().Push(cmd.Context(), args[0], bar.update)
			bar.finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "Pushed %s\n", img.Ref)
			fmt.Println(img.Digest)
			return nil
		},
	}
}
