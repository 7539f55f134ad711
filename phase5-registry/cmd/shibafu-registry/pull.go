package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase5-registry/reference"
)

func newPullCmd(g *globals) *cobra.Command {
	f := &clientFlags{}
	cmd := &cobra.Command{
		Use:   "pull HOST/NAME[:TAG|@DIGEST] [LOCAL]",
		Short: "Pull an image from a registry into the image store",
		Long: `pull fetches an image, or an index with all its platforms, checks every
digest, and names it LOCAL in the image store (NAME:TAG by default).`,
		Example: `  shibafu-registry pull 127.0.0.1:5000/library/busybox:1.36 busybox:copy`,
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := reference.Parse(args[0])
			if err != nil {
				return err
			}
			local := ""
			if len(args) == 2 {
				local = args[1]
			}
			images, err := g.images()
			if err != nil {
				return err
			}
			c, bars := f.client(g, cmd.ErrOrStderr())
			desc, err := c.Pull(cmd.Context(), images, src, local)
			bars.done()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pulled %s@%s\n", src, desc.Digest)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}
