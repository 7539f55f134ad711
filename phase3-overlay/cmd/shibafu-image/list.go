package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list", "images"},
		Short:   "List the images of the store",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			images, err := g.images()
			if err != nil {
				return err
			}
			list, err := images.List()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tDIGEST\tLAYERS\tSIZE\tCREATED")
			for _, img := range list {
				var size int64
				for _, l := range img.Manifest.Layers {
					size += l.Size
				}
				created := ""
				if img.Config.Created != nil {
					created = img.Config.Created.Format("2006-01-02 15:04:05")
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", refName(img.Ref),
					img.Descriptor.Digest.Encoded()[:12], len(img.Manifest.Layers), mb(size), created)
			}
			return tw.Flush()
		},
	}
}
