package main

import (
	"fmt"
	"io"
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
	var filterArgs []string
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Follow the daemon's container lifecycle events",
		Long: `events prints each container event as it happens (create, start, die,
stop, restart, rename, health_status, destroy) until interrupted.

--filter KEY=VALUE keeps the events that match (repeatable; the values
of one key are alternatives, different keys must all match):
container=ID|NAME, type=container, event=ACTION.

--format templates see the API's fields (.Time, .Type, .Action, .ID,
.Name, .Attributes) and docker's .Status and .Actor.Attributes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			filters, err := api.ParseEventFilters(filterArgs)
			if err != nil {
				return err
			}
			// Parse the template before subscribing: a bad one must fail
			// now, not print nothing for every event.
			if err := printFormat(io.Discard, format, []eventItem{}); err != nil {
				return err
			}
			return g.client().EventsFiltered(cmd.Context(), filters, func(ev api.Event) {
				switch format {
				case "":
					fmt.Println(eventLine(ev))
				case "json":
					printFormat(os.Stdout, format, []api.Event{ev})
				default:
					printFormat(os.Stdout, format, []eventItem{{ev}})
				}
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	cmd.Flags().StringArrayVarP(&filterArgs, "filter", "f", nil,
		"keep the events that match KEY=VALUE (repeatable)")
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
