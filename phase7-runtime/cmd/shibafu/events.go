package main

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newEventsCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Follow the daemon's container lifecycle events",
		Long: `events prints each container event as it happens (create, start, die,
stop, restart, rename, health_status, destroy) until interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.client().Events(cmd.Context(), func(ev api.Event) {
				if format != "" {
					printFormat(os.Stdout, format, []api.Event{ev})
					return
				}
				fmt.Println(eventLine(ev))
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	return cmd
}

// eventLine reads like docker's: TIME container ACTION ID (name=..., ...).
func eventLine(ev api.Event) string {
	attrs := []string{"name=" + ev.Name}
	for _, k := range slices.Sorted(maps.Keys(ev.Attributes)) {
		attrs = append(attrs, k+"="+ev.Attributes[k])
	}
	return fmt.Sprintf("%s container %s %s (%s)", ev.Time.Local().Format(time.RFC3339Nano),
		ev.Action, ev.ID, strings.Join(attrs, ", "))
}
