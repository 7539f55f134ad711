package main

import (
	"encoding/json"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newNetworkInspectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect NETWORK...",
		Short: "Show networks and the containers on them as JSON",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out []*api.Network
			for _, name := range args {
				n, err := g.client().InspectNetwork(cmd.Context(), name)
				if err != nil {
					return err
				}
				out = append(out, n)
			}
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
}
