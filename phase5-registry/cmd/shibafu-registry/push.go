package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase5-registry/reference"
)

func newPushCmd(g *globals) *cobra.Command {
	f := &clientFlags{}
	cmd := &cobra.Command{
		Use:     "push LOCAL HOST/NAME[:TAG]",
		Short:   "Push an image of the image store to a registry",
		Example: `  shibafu-registry push busybox 127.0.0.1:5000/library/busybox:1.36`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dst, err := reference.Parse(args[1])
			if err != nil {
				return err
			}
			images, err := g.images()
			if err != nil {
				return err
			}
			c, bars := f.client(g, cmd.ErrOrStderr())
			desc, err := c.Push(cmd.Context(), images, args[0], dst)
			bars.done()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pushed %s@%s\n", dst, desc.Digest)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}
