package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newBuildBaseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "build-base [NAME]",
		Short: "Make a busybox base image from the host's busybox (default name busybox)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := "busybox"
			if len(args) == 1 {
				ref = args[0]
			}
			img, err := g.client().BuildBase(cmd.Context(), ref)
			if err != nil {
				return err
			}
			fmt.Printf("%s %s\n", img.Ref, img.Digest)
			return nil
		},
	}
}
