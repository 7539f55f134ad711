package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/client"
)

func newLogsCmd(g *globals) *cobra.Command {
	opts := client.LogOptions{Tail: -1}
	var since string
	cmd := &cobra.Command{
		Use:   "logs [flags] CONTAINER",
		Short: "Show a container's output",
		Long: `logs shows what a container wrote, line by line in the order the daemon
collected it, from its JSON-lines log (the daemon's --log-max-size and
--log-max-files bound it; the oldest lines go first).`,
		Example: `  shibafu logs --tail 20 -f web
  shibafu logs --since 10m --timestamps web
  shibafu logs --since 2026-01-02T15:04:05Z web`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return err
				}
				opts.Since = t
			}
			return g.client().Logs(cmd.Context(), args[0], opts, os.Stdout, os.Stderr)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.Follow, "follow", "f", false, "keep following the output")
	f.IntVarP(&opts.Tail, "tail", "n", -1, "show only the last N lines (-1: all)")
	f.StringVar(&since, "since", "",
		"show lines since a time (RFC 3339) or for a duration back (such as 10m)")
	f.BoolVarP(&opts.Timestamps, "timestamps", "t", false, "start every line with its time")
	return cmd
}

// parseSince reads --since: a time in RFC 3339, or a duration before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("--since %q: want a time such as 2026-01-02T15:04:05Z"+
			" or a duration such as 10m", s)
	}
	return now.Add(-d), nil
}
