package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
)

func newEventsCmd(g *globals) *cobra.Command {
	var app string
	var follow bool
	cmd := &cobra.Command{
		Use:   "events -a APP [-f]",
		Short: "Show an app's events: releases, scales, autoscaling, crashes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			enc := json.NewEncoder(out)
			return g.client().Events(cmd.Context(), app, follow, func(ev api.AppEvent) {
				if g.json {
					enc.Encode(ev)
					return
				}
				fmt.Fprintf(out, "%s %-9s %s\n", ev.Time.UTC().Format(logTime), ev.Kind,
					ev.Message)
			})
		},
	}
	appFlag(cmd, &app)
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "go on with new events")
	return cmd
}
