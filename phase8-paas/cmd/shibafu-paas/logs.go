package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/client"
)

func newLogsCmd(g *globals) *cobra.Command {
	var app string
	var q client.LogQuery
	cmd := &cobra.Command{
		Use:   "logs -a APP [-f] [--tail N] [--since 10m] [--ps web]",
		Short: "Show an app's log: its replicas' output, its builds and the router's",
		Long: `logs merges, in time order, what every replica of the app printed (as
REPLICA[PROCESS]), the logs of its builds and changes (build, paas) and the
router's access log (router[REPLICA]). With -f it goes on with new lines,
through deploys, until interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			enc := json.NewEncoder(out)
			return g.client().Logs(cmd.Context(), app, q, func(l api.LogLine) {
				if g.json {
					enc.Encode(l)
					return
				}
				printLogLine(out, l)
			})
		},
	}
	appFlag(cmd, &app)
	f := cmd.Flags()
	f.BoolVarP(&q.Follow, "follow", "f", false, "go on with new lines")
	f.IntVarP(&q.Tail, "tail", "n", 0, "show the last N lines (default 100; -1 for all)")
	f.StringVar(&q.Since, "since", "", "show lines since a time (RFC 3339) or a duration ago")
	f.StringVar(&q.Process, "ps", "", "show only the lines of this process type")
	return cmd
}

// logTime is how a line's time is printed: UTC, to the millisecond.
const logTime = "2006-01-02T15:04:05.000Z07:00"

// printLogLine prints "TIME WHO: line", WHO being REPLICA[PROCESS] for
// a replica's output and the source otherwise.
func printLogLine(w io.Writer, l api.LogLine) {
	who := l.Source
	switch {
	case l.Source == api.SourceApp:
		who = l.Replica + "[" + l.Process + "]"
	case l.Replica != "":
		who += "[" + l.Replica + "]"
	}
	fmt.Fprintf(w, "%s %s: %s\n", l.Time.UTC().Format(logTime), who, l.Line)
}
