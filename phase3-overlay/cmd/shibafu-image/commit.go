package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase3-overlay/snapshot"
)

func newCommitCmd(g *globals) *cobra.Command {
	var opts snapshot.CommitOptions
	cmd := &cobra.Command{
		Use:   "commit NAME IMAGE",
		Short: "Store a snapshot's changes as a new layer and image, like docker commit",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			img, err := snapshots.Commit(cmd.Context(), args[0], args[1], opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", img.Ref, img.Descriptor.Digest)
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.Message, "message", "m", "", "comment for the layer's history")
	return cmd
}
