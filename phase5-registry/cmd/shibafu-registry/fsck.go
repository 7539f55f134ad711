package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase5-registry/storage"
)

func newFsckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "fsck",
		Short: "Check that every stored blob hashes to its digest",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.registryStore(storage.Options{})
			if err != nil {
				return err
			}
			checked, bad, err := st.Verify(cmd.Context())
			if err != nil {
				return err
			}
			for _, d := range bad {
				fmt.Fprintf(cmd.OutOrStdout(), "corrupt: %s\n", d)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "checked %d blobs, %d corrupt\n", checked, len(bad))
			if len(bad) > 0 {
				return fmt.Errorf("fsck: %d corrupt blobs", len(bad))
			}
			return nil
		},
	}
}
