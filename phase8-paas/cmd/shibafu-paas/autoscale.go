package main

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
)

func newAutoscaleCmd(g *globals) *cobra.Command {
	var app string
	var off bool
	var cpu, rps, p95 float64
	var as api.Autoscale
	var window, up, down time.Duration
	cmd := &cobra.Command{
		Use:   "autoscale -a APP [--process web --min 1 --max 4 --cpu 50 | --off]",
		Short: "Show or set an app's autoscalers",
		Long: `Without --max or --off, autoscale shows the app's autoscalers. With them,
it sets the autoscaler of --process: between --min and --max replicas, one
step at a time, towards a target of --cpu (percent of each replica's CPU
limit), --rps (requests per second per replica) or --p95 (latency in ms).
A step up needs the metric above the target for all of --window, a step
down below half of it; --up-cooldown and --down-cooldown space the steps.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			c := g.client()
			if !off && as.Max == 0 {
				list, err := c.Autoscale(cmd.Context(), app)
				if err != nil {
					return err
				}
				return g.print(cmd, list, func() { printAutoscale(cmd, app, list) })
			}
			if off {
				as.Max = 0
			} else if err := pickTarget(&as, cpu, rps, p95); err != nil {
				return err
			}
			as.Window, as.UpCooldown = api.Duration(window), api.Duration(up)
			as.DownCooldown = api.Duration(down)
			out, err := c.SetAutoscale(cmd.Context(), app, as)
			if err != nil {
				return err
			}
			return g.print(cmd, out, func() {
				printAutoscale(cmd, app, []api.Autoscale{*out})
			})
		},
	}
	appFlag(cmd, &app)
	f := cmd.Flags()
	f.StringVar(&as.Process, "process", "web", "the process type")
	f.IntVar(&as.Min, "min", 1, "fewest replicas")
	f.IntVar(&as.Max, "max", 0, "most replicas")
	f.Float64Var(&cpu, "cpu", 0, "target CPU use, in percent of each replica's limit")
	f.Float64Var(&rps, "rps", 0, "target requests per second per replica")
	f.Float64Var(&p95, "p95", 0, "target 95th percentile of the latency, in ms")
	f.DurationVar(&window, "window", 0, "how long the metric must stay beyond the"+
		" target (default 1m)")
	f.DurationVar(&up, "up-cooldown", 0, "time after a change before a step up"+
		" (default 1m)")
	f.DurationVar(&down, "down-cooldown", 0, "time after a change before a step down"+
		" (default 5m)")
	f.BoolVar(&off, "off", false, "turn the process type's autoscaler off")
	return cmd
}

// pickTarget sets the metric and target of the one target flag given.
func pickTarget(as *api.Autoscale, cpu, rps, p95 float64) error {
	n := 0
	for _, t := range []struct {
		metric string
		v      float64
	}{{api.MetricCPU, cpu}, {api.MetricRPS, rps}, {api.MetricP95, p95}} {
		if t.v != 0 {
			as.Metric, as.Target = t.metric, t.v
			n++
		}
	}
	if n != 1 {
		return errors.New("give one target: --cpu PERCENT, --rps N or --p95 MS")
	}
	return nil
}

func printAutoscale(cmd *cobra.Command, app string, list []api.Autoscale) {
	out := cmd.OutOrStdout()
	if len(list) == 0 {
		fmt.Fprintf(out, "%s has no autoscaler\n", app)
		return
	}
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "PROCESS\tMIN\tMAX\tTARGET\tWINDOW\tUP COOLDOWN\tDOWN COOLDOWN")
	for _, as := range list {
		if as.Max == 0 {
			fmt.Fprintf(tw, "%s\toff\n", as.Process)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s %g\t%s\t%s\t%s\n", as.Process, as.Min, as.Max,
			as.Metric, as.Target, time.Duration(as.Window), time.Duration(as.UpCooldown),
			time.Duration(as.DownCooldown))
	}
	tw.Flush()
}
