package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

// inspection is what inspect prints for one network.
type inspection struct {
	network.Network
	Endpoints []network.Endpoint `json:"endpoints"`
}

func newInspectCmd(m *sandbox.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect NAME...",
		Short: "Show networks and their containers as JSON",
		Example: `  shibafu-net inspect backend
  shibafu-net inspect backend | jq -r '.[0].endpoints[] | .id + " " + .address'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out []inspection
			for _, name := range args {
				n, err := m.Networks().Get(cmd.Context(), name)
				if err != nil {
					return err
				}
				eps, err := m.Networks().Endpoints(cmd.Context(), name)
				if err != nil {
					return err
				}
				if eps == nil {
					eps = []network.Endpoint{}
				}
				out = append(out, inspection{Network: *n, Endpoints: eps})
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
}
