package main

import (
	"encoding/json"

	"github.com/spf13/cobra"
)

func newInspectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect IMAGE",
		Short: "Print an image's manifest and config as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			images, err := g.images()
			if err != nil {
				return err
			}
			img, err := images.Get(args[0])
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{
				"name":     img.Ref,
				"digest":   img.Descriptor.Digest,
				"manifest": img.Manifest,
				"config":   img.Config,
			})
		},
	}
}
