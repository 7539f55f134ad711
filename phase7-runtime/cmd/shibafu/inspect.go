package main

import (
	"encoding/json"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newInspectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect CONTAINER...",
		Short: "Show containers as JSON",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out []*api.Container
			for _, id := range args {
				c, err := g.client().Inspect(cmd.Context(), id)
				if err != nil {
					return err
				}
				out = append(out, c)
			}
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
}
