package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newImagesCmd(g *globals) *cobra.Command {
	var quiet bool
	var format string
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
			if format != "" && !quiet {
				return printFormat(os.Stdout, format, list)
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 4, 3, ' ', 0)
			if !quiet {
				fmt.Fprintln(w, "REPOSITORY\tDIGEST\tSIZE")
			}
			for _, img := range list {
				if quiet {
					fmt.Fprintln(w, img.Ref)
					continue
				}
				fmt.Fprintf(w, "%s\t%.19s\t%.1f MB\n", img.Ref, img.Digest, float64(img.Size)/1e6)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print names only")
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	return cmd
}
