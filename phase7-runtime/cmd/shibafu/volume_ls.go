package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newVolumeLsCmd(g *globals) *cobra.Command {
	var quiet bool
	var format string
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List named volumes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := g.client().Volumes(cmd.Context())
			if err != nil {
				return err
			}
			if format != "" && !quiet {
				return printFormat(os.Stdout, format, list)
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 4, 3, ' ', 0)
			if !quiet {
				fmt.Fprintln(w, "NAME\tUSED BY\tPATH")
			}
			for _, v := range list {
				if quiet {
					fmt.Fprintln(w, v.Name)
					continue
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", v.Name, strings.Join(v.UsedBy, ","), v.Path)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print names only")
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	return cmd
}
