package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
)

func newMetricsCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "metrics -a APP",
		Short: "Show an app's latest metrics and its replicas' (--json: the last hour)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			m, err := g.client().Metrics(cmd.Context(), app)
			if err != nil {
				return err
			}
			return g.print(cmd, m, func() { printMetrics(cmd, m) })
		},
	}
	appFlag(cmd, &app)
	return cmd
}

// printMetrics prints the latest point, then a line per replica.
func printMetrics(cmd *cobra.Command, m *api.Metrics) {
	out := cmd.OutOrStdout()
	if len(m.Points) == 0 {
		fmt.Fprintf(out, "No metrics of %s yet (a point every %s)\n", m.App,
			time.Duration(m.Interval))
		return
	}
	p := m.Points[len(m.Points)-1]
	fmt.Fprintf(out, "%s at %s (%d points, every %s)\n", m.App, p.Time.Format(logTime),
		len(m.Points), time.Duration(m.Interval))
	fmt.Fprintf(out, "  replicas %d, CPU %.1f%% of the limit, memory %s\n", p.Replicas,
		p.CPUPercent, mebibytes(p.MemoryBytes))
	fmt.Fprintf(out, "  %.1f req/s, %.2f errors/s, latency p50 %.1f ms, p95 %.1f ms,"+
		" p99 %.1f ms\n", p.Requests, p.Errors, p.P50, p.P95, p.P99)
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "REPLICA\tPROCESS\tCPU\tMEMORY\tRESTARTS")
	for _, r := range m.Replicas {
		fmt.Fprintf(tw, "%s\t%s\t%.1f%%\t%s\t%d\n", r.Name, r.Process, r.CPUPercent,
			mebibytes(r.MemoryBytes), r.Restarts)
	}
	tw.Flush()
}

func mebibytes(n uint64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
