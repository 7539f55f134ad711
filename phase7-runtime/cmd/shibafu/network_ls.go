package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newNetworkLsCmd(g *globals) *cobra.Command {
	var out listFlags
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
			return printList(out, list, "NAME\tBRIDGE\tSUBNET\tGATEWAY",
				func(n api.Network) string { return n.Name },
				func(n api.Network) string {
					return fmt.Sprintf("%s\t%s\t%s\t%s", n.Name, n.Bridge, n.Subnet, n.Gateway)
				})
		},
	}
	out.register(cmd, "print names only")
	return cmd
}
