package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase8-paas/api"
)

func newPsCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "ps -a APP",
		Short: "List an app's replicas",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			rs, err := g.client().Replicas(cmd.Context(), app)
			if err != nil {
				return err
			}
			return g.print(cmd, rs, func() { printReplicas(cmd, rs) })
		},
	}
	appFlag(cmd, &app)
	return cmd
}

func printReplicas(cmd *cobra.Command, rs []api.Replica) {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "REPLICA\tPROCESS\tRELEASE\tSTATE\tIP\tUP")
	for _, r := range rs {
		up := "-"
		if !r.Started.IsZero() && r.State == "running" {
			up = time.Since(r.Started).Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\tv%d\t%s\t%s\t%s\n", r.Name, r.Process, r.Release, r.State,
			r.IP, up)
	}
	tw.Flush()
}

func formationWords(f map[string]int) string {
	var words []string
	for _, p := range slices.Sorted(maps.Keys(f)) {
		words = append(words, p+"="+strconv.Itoa(f[p]))
	}
	return strings.Join(words, " ")
}

func newScaleCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "scale -a APP TYPE=N...",
		Short: "Set how many replicas of each process type run, such as web=3 worker=1",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			req := api.ScaleRequest{}
			for _, arg := range args {
				name, count, ok := strings.Cut(arg, "=")
				n, err := strconv.Atoi(count)
				if !ok || err != nil {
					return fmt.Errorf("%q: want TYPE=N, such as web=3", arg)
				}
				req[name] = n
			}
			rel, err := g.client().Scale(cmd.Context(), app, req, g.logf(cmd))
			if err != nil {
				return err
			}
			return printRelease(cmd, g, rel, "Scaled")
		},
	}
	appFlag(cmd, &app)
	return cmd
}

func newRunCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "run -a APP -- COMMAND [ARG...]",
		Short: "Run a one-off command in a new container of the current release",
		Long: `run starts a container of the app's current release, with its config and
secrets, on the apps' network, runs COMMAND in it, prints its output and
exits with its exit code. Use it for migrations and consoles.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			code, err := g.client().Run(cmd.Context(), app, args, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if code != 0 {
				return cli.Exit(code)
			}
			return nil
		},
	}
	appFlag(cmd, &app)
	cmd.Flags().SetInterspersed(false)
	return cmd
}

func newDomainsCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "domains -a APP",
		Short: "List, add or remove the custom domains an app is served at",
		Long: `domains lists the app's host names with the state of their TLS certificates
(none, self-signed, pending, issued, failed), when they expire, when they are
renewed next, and for a failed order the ACME problem type and message.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			ds, err := g.client().Domains(cmd.Context(), app)
			if err != nil {
				return err
			}
			return g.print(cmd, ds, func() { printDomains(cmd, ds) })
		},
	}
	appFlag(cmd, &app)
	for _, add := range []bool{true, false} {
		var domApp string
		use, short := "add -a APP DOMAIN", "Serve the app at DOMAIN too"
		if !add {
			use, short = "rm -a APP DOMAIN", "Stop serving the app at DOMAIN"
		}
		sub := &cobra.Command{
			Use: use, Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := needApp(domApp); err != nil {
					return err
				}
				c := g.client()
				change := c.AddDomain
				if !add {
					change = c.RemoveDomain
				}
				a, err := change(cmd.Context(), domApp, args[0])
				if err != nil {
					return err
				}
				return g.print(cmd, a, func() {
					fmt.Fprintf(cmd.OutOrStdout(), "%s serves at %s\n", a.Name,
						strings.Join(append([]string{strings.TrimPrefix(a.URL, "http://")},
							a.Domains...), ", "))
				})
			},
		}
		appFlag(sub, &domApp)
		cmd.AddCommand(sub)
	}
	return cmd
}

var errHookFailed = errors.New("the deploy failed")
