package main

import "github.com/spf13/cobra"

func newUnmountCmd(g *globals) *cobra.Command {
	var remove bool
	cmd := &cobra.Command{
		Use:     "unmount NAME...",
		Aliases: []string{"umount"},
		Short:   "Unmount snapshots, keeping their changes unless --rm",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			for _, name := range args {
				if remove {
					err = snapshots.Remove(name)
				} else {
					err = snapshots.Unmount(name)
				}
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&remove, "rm", false, "also delete the snapshot and its changes")
	return cmd
}
