package main

import "github.com/spf13/cobra"

func newVolumeCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "volume",
		Short: "Manage named volumes",
		Long: `A named volume is a directory under the daemon's state root
(ROOT/volumes/NAME) that containers mount with -v NAME:/PATH. run creates
it on first use; it outlives the containers that use it.`,
	}
	cmd.AddCommand(newVolumeCreateCmd(g), newVolumeLsCmd(g), newVolumeRmCmd(g))
	return cmd
}
