package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newNetworkLsCmd(g *globals) *cobra.Command {
	var quiet bool
	var format string
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List networks",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := g.client().Networks(cmd.Context())
			if err != nil {
				return err
			}
			if format != "" && !quiet {
				return printFormat(os.Stdout, format, list)
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 4, 3, ' ', 0)
			if !quiet {
				fmt.Fprintln(w, "NAME\tBRIDGE\tSUBNET\tGATEWAY")
			}
			for _, n := range list {
				if quiet {
					fmt.Fprintln(w, n.Name)
					continue
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", n.Name, n.Bridge, n.Subnet, n.Gateway)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print names only")
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	return cmd
}
