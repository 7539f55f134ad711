package main

import "github.com/spf13/cobra"

func newNetworkCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "network",
		Short: "Manage networks",
	}
	cmd.AddCommand(newNetworkCreateCmd(g), newNetworkLsCmd(g), newNetworkRmCmd(g),
		newNetworkInspectCmd(g), newNetworkConnectCmd(g), newNetworkDisconnectCmd(g))
	return cmd
}
