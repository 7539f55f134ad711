package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newGCCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "gc",
		Short: "Delete unpacked layers and blobs that no image or snapshot uses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			images, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			layers, inUse, err := snapshots.Prune(cmd.Context())
			if err != nil {
				return err
			}
			blobs, err := images.GC(cmd.Context(), inUse...)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed %d unpacked layers and %d blobs\n",
				len(layers), len(blobs))
			return nil
		},
	}
}
