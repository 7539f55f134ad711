package main

import (
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/client"
)

func newLogsCmd(g *globals) *cobra.Command {
	opts := client.LogOptions{Tail: -1}
	cmd := &cobra.Command{
		Use:   "logs [flags] CONTAINER",
		Short: "Show a container's output",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.client().Logs(cmd.Context(), args[0], opts, os.Stdout, os.Stderr)
		},
	}
	cmd.Flags().BoolVarP(&opts.Follow, "follow", "f", false, "keep following the output")
	cmd.Flags().IntVarP(&opts.Tail, "tail", "n", -1, "show only the last N lines (-1: all)")
	return cmd
}
