package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newSnapshotsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "snapshots",
		Short: "List snapshots",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			list, err := snapshots.List()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tIMAGE\tLAYERS\tMOUNTED\tMOUNTPOINT")
			for _, sn := range list {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%t\t%s\n", sn.Name, sn.Image, len(sn.Layers),
					sn.Mounted, sn.Mountpoint())
			}
			return tw.Flush()
		},
	}
}
