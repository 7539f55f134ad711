package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func newDiffCmd(g *globals) *cobra.Command {
	var tarFile string
	cmd := &cobra.Command{
		Use:   "diff NAME",
		Short: "List a snapshot's changes (A added, C changed, D deleted) or write them as a layer",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			if tarFile != "" {
				f, err := os.Create(tarFile)
				if err != nil {
					return err
				}
				if err := snapshots.Diff(cmd.Context(), args[0], f); err != nil {
					f.Close()
					return err
				}
				return f.Close()
			}
			changes, err := snapshots.Changes(args[0])
			if err != nil {
				return err
			}
			for _, c := range changes {
				fmt.Fprintf(cmd.OutOrStdout(), "%c %s\n", c.Kind, c.Path)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&tarFile, "tar", "",
		"write the changes as an uncompressed tar layer to FILE")
	return cmd
}
