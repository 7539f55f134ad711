package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCommitCmd(g *globals) *cobra.Command {
	var message string
	cmd := &cobra.Command{
		Use:   "commit [flags] CONTAINER IMAGE",
		Short: "Make an image of a container's changes (one more layer on its image)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			img, err := g.client().Commit(cmd.Context(), args[0], args[1], message)
			if err != nil {
				return err
			}
			fmt.Println(img.Digest)
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "a note for the image's history")
	return cmd
}
