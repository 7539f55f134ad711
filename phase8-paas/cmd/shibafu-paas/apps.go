package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
)

func newAppsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "apps",
		Short: "Create, list, describe and destroy apps",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return listApps(cmd, g) },
	}
	cmd.AddCommand(newAppsCreateCmd(g), newAppsLsCmd(g), newAppsInfoCmd(g),
		newAppsDestroyCmd(g), newAppsHealthCmd(g), newAppsTLSCmd(g))
	return cmd
}

func newAppsCreateCmd(g *globals) *cobra.Command {
	var health api.HealthCheck
	var timeout, interval time.Duration
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Make an app, with its git repository",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			health.Timeout, health.Interval = api.Duration(timeout), api.Duration(interval)
			app, err := g.client().CreateApp(cmd.Context(),
				api.CreateAppRequest{Name: args[0], Health: &health})
			if err != nil {
				return err
			}
			return g.print(cmd, app, func() {
				fmt.Fprintf(cmd.OutOrStdout(), "Created %s: %s\nGit remote: %s/git/%s.git\n",
					app.Name, app.URL, strings.TrimSuffix(g.url, "/"), app.Name)
			})
		},
	}
	healthFlags(cmd, &health, &timeout, &interval)
	return cmd
}

// healthFlags adds the flags of an app's health check.
func healthFlags(cmd *cobra.Command, h *api.HealthCheck, timeout, interval *time.Duration) {
	f := cmd.Flags()
	f.StringVar(&h.Path, "health-path", "", "path a new web replica must answer (default /)")
	f.DurationVar(timeout, "health-timeout", 0, "how long one check may take (default 2s)")
	f.DurationVar(interval, "health-interval", 0, "time between checks (default 500ms)")
	f.IntVar(&h.Retries, "health-retries", 0, "checks before a replica is failed (default 30)")
}

func newAppsHealthCmd(g *globals) *cobra.Command {
	var app string
	var health api.HealthCheck
	var timeout, interval time.Duration
	cmd := &cobra.Command{
		Use:   "health -a APP [--health-path P] ...",
		Short: "Change the health check new releases must pass",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			health.Timeout, health.Interval = api.Duration(timeout), api.Duration(interval)
			a, err := g.client().UpdateHealth(cmd.Context(), app, health)
			if err != nil {
				return err
			}
			return g.print(cmd, a, func() {
				h := a.Health
				fmt.Fprintf(cmd.OutOrStdout(), "Health check of %s: GET %s, timeout %v, every %v,"+
					" %d tries\n", a.Name, h.Path, time.Duration(h.Timeout),
					time.Duration(h.Interval), h.Retries)
			})
		},
	}
	appFlag(cmd, &app)
	healthFlags(cmd, &health, &timeout, &interval)
	return cmd
}

func newAppsLsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List the apps",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return listApps(cmd, g) },
	}
}

func listApps(cmd *cobra.Command, g *globals) error {
	apps, err := g.client().Apps(cmd.Context())
	if err != nil {
		return err
	}
	return g.print(cmd, apps, func() {
		tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tRELEASE\tFORMATION\tURL")
		for _, a := range apps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Name, releaseWord(a.Release),
				formationWords(a.Formation), a.URL)
		}
		tw.Flush()
	})
}

func releaseWord(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("v%d", n)
}

func newAppsInfoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "info NAME",
		Short: "Describe an app and its replicas",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := g.client().App(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return g.print(cmd, a, func() {
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "=== %s\nURL:       %s\nRelease:   %s\nFormation: %s\n",
					a.Name, a.URL, releaseWord(a.Release), formationWords(a.Formation))
				fmt.Fprintf(w, "Health:    GET %s (timeout %v, every %v, %d tries)\n",
					a.Health.Path, time.Duration(a.Health.Timeout),
					time.Duration(a.Health.Interval), a.Health.Retries)
				if len(a.Domains) > 0 {
					fmt.Fprintf(w, "Domains:   %s\n", strings.Join(a.Domains, ", "))
				}
				printReplicas(cmd, a.Replicas)
			})
		},
	}
}

func newAppsDestroyCmd(g *globals) *cobra.Command {
	var confirm string
	cmd := &cobra.Command{
		Use:   "destroy NAME --confirm NAME",
		Short: "Stop an app's replicas and forget it, its releases and config",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if confirm != args[0] {
				return fmt.Errorf("destroying %s cannot be undone: repeat its name with"+
					" --confirm %s", args[0], args[0])
			}
			if err := g.client().DestroyApp(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Destroyed %s\n", args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&confirm, "confirm", "", "the app's name again, to confirm")
	return cmd
}
