package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the containers runc runs for shibafu-bundle",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := g.runtime.List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tPID\tSTATUS\tBUNDLE\tCREATED")
			for _, c := range list {
				fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\n", c.ID, c.PID, c.Status, c.Bundle,
					c.Created.Local().Format("2006-01-02 15:04:05"))
			}
			return w.Flush()
		},
	}
}
