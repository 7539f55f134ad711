package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newNetworkCreateCmd(g *globals) *cobra.Command {
	var subnet string
	cmd := &cobra.Command{
		Use:   "create --subnet CIDR NAME",
		Short: "Create a network: a bridge, a subnet, NAT, and DNS on its gateway",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := g.client().CreateNetwork(cmd.Context(), args[0], subnet)
			if err != nil {
				return err
			}
			fmt.Println(n.Name)
			return nil
		},
	}
	cmd.Flags().StringVar(&subnet, "subnet", "", "the network's IPv4 subnet, such as 10.90.0.0/24")
	cmd.MarkFlagRequired("subnet")
	return cmd
}
