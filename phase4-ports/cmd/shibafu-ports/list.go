package main

import (
	"fmt"
	"net/netip"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"shibafu.dev/phase4-ports/portmap"
)

func newListCmd(m *portmap.Manager) *cobra.Command {
	return &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List published ports",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			maps, err := m.List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "PROTO\tHOST\tCONTAINER\tOWNER\tBRIDGE")
			for _, mp := range maps {
				host := "0.0.0.0"
				if mp.HostIP.IsValid() {
					host = mp.HostIP.String()
				}
				fmt.Fprintf(w, "%s\t%s:%d\t%s\t%s\t%s\n", mp.Proto, host, mp.HostPort,
					netip.AddrPortFrom(mp.ContainerIP, mp.ContainerPort), mp.Owner, mp.Bridge)
			}
			return w.Flush()
		},
	}
}
