package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"shibafu.dev/phase5-registry/reference"
)

func newInspectCmd(g *globals) *cobra.Command {
	f := &clientFlags{}
	cmd := &cobra.Command{
		Use:   "inspect HOST/NAME[:TAG|@DIGEST]",
		Short: "Show an image's manifest as a registry serves it",
		Long: `inspect prints {"digest", "mediaType", "size", "manifest"} for the manifest
or index a reference names, after checking its digest.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := reference.Parse(args[0])
			if err != nil {
				return err
			}
			c, _ := f.client(g, cmd.ErrOrStderr())
			desc, body, err := c.Inspect(cmd.Context(), ref)
			if err != nil {
				return err
			}
			out := struct {
				Digest    string          `json:"digest"`
				MediaType string          `json:"mediaType"`
				Size      int64           `json:"size"`
				Manifest  json.RawMessage `json:"manifest"`
			}{desc.Digest.String(), desc.MediaType, desc.Size, body}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
	f.register(cmd)
	return cmd
}
