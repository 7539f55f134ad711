package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/sandbox"
)

func newListCmd(m *sandbox.Manager) *cobra.Command {
	return &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List networks",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			nets, err := m.Networks().List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tBRIDGE\tSUBNET\tGATEWAY\tCONTAINERS")
			for _, n := range nets {
				eps, err := m.Networks().Endpoints(cmd.Context(), n.Name)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\n",
					n.Name, n.Bridge, n.Subnet, n.Gateway, len(eps))
			}
			return w.Flush()
		},
	}
}
