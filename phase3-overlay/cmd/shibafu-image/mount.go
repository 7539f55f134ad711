package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase3-overlay/snapshot"
)

func newMountCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "mount IMAGE NAME",
		Short: "Prepare snapshot NAME of IMAGE as an overlay mount and print where",
		Long: `Prepare the snapshot NAME of IMAGE: unpack the image's layers that are not
unpacked yet, then mount an overlay of them with an empty upper directory.
The mount point is printed. If NAME exists (after unmount), it is mounted
again with its changes.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			sn, err := snapshots.Prepare(cmd.Context(), args[1], args[0])
			if errors.Is(err, snapshot.ErrExists) {
				sn, err = snapshots.Mount(args[1])
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), sn.Mountpoint())
			return nil
		},
	}
}
