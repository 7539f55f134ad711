package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newImagesCmd(g *globals) *cobra.Command {
	var out listFlags
	cmd := &cobra.Command{
		Use:     "images",
		Aliases: []string{"image-ls"},
		Short:   "List images",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := g.client().Images(cmd.Context())
			if err != nil {
				return err
			}
			return printList(out, list, "REPOSITORY\tDIGEST\tSIZE",
				func(img api.Image) string { return img.Ref },
				func(img api.Image) string {
					return fmt.Sprintf("%s\t%.19s\t%.1f MB", img.Ref, img.Digest, float64(img.Size)/1e6)
				})
		},
	}
	out.register(cmd, "print names only")
	return cmd
}
