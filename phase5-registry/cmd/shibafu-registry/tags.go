package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase5-registry/reference"
)

func newTagsCmd(g *globals) *cobra.Command {
	f := &clientFlags{}
	cmd := &cobra.Command{
		Use:   "tags HOST/NAME",
		Short: "List the tags of a repository",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := reference.Parse(args[0])
			if err != nil {
				return err
			}
			c, _ := f.client(g, cmd.ErrOrStderr())
			tags, err := c.Tags(cmd.Context(), ref)
			if err != nil {
				return err
			}
			for _, t := range tags {
				fmt.Fprintln(cmd.OutOrStdout(), t)
			}
			return nil
		},
	}
	f.register(cmd)
	return cmd
}
