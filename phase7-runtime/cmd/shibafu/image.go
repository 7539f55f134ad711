package main

import (
	"encoding/json"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

// newImageCmd groups the commands about one image, as `docker image`
// does.
func newImageCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "image",
		Short: "Look at images",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newImageInspectCmd(g), newSaveCmd(g), newLoadCmd(g), newImportCmd(g))
	return cmd
}

func newImageInspectCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect IMAGE...",
		Short: "Show images with their settings, layers and history as JSON",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out []*api.ImageDetail
			for _, ref := range args {
				img, err := g.client().InspectImage(cmd.Context(), ref)
				if err != nil {
					return err
				}
				out = append(out, img)
			}
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
}
