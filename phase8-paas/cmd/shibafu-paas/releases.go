package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newReleasesCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "releases -a APP",
		Short: "List an app's releases, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			rels, err := g.client().Releases(cmd.Context(), app)
			if err != nil {
				return err
			}
			return g.print(cmd, rels, func() {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
				fmt.Fprintln(tw, "RELEASE\tSTATUS\tDESCRIPTION\tDIGEST\tBY\tCREATED")
				for _, r := range rels {
					digest := strings.TrimPrefix(r.Digest, "sha256:")
					if len(digest) > 12 {
						digest = digest[:12]
					}
					status := r.Status
					if r.Error != "" {
						status += ": " + firstLine(r.Error)
					}
					fmt.Fprintf(tw, "v%d\t%s\t%s\t%s\t%s\t%s\n", r.Number, status, r.Description,
						digest, r.User, r.Created.Local().Format(time.DateTime))
				}
				tw.Flush()
			})
		},
	}
	appFlag(cmd, &app)
	return cmd
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func newRollbackCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "rollback -a APP [vN]",
		Short: "Deploy an earlier release again (default: the one before the current)",
		Long: `rollback makes a new release with the image and config of release vN (by
default the last good release before the current one) and rolls it out
like a deploy: the current release serves until the new replicas are
healthy.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			n := 0
			if len(args) == 1 {
				v, err := strconv.Atoi(strings.TrimPrefix(args[0], "v"))
				if err != nil || v < 1 {
					return fmt.Errorf("release %q: want vN, such as v3", args[0])
				}
				n = v
			}
			rel, err := g.client().Rollback(cmd.Context(), app, n, g.logf(cmd))
			if err != nil {
				return err
			}
			return printRelease(cmd, g, rel, "Rolled back")
		},
	}
	appFlag(cmd, &app)
	return cmd
}

func newRestartCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "restart -a APP",
		Short: "Replace every replica of an app with a new one, without downtime",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			rel, err := g.client().Restart(cmd.Context(), app, g.logf(cmd))
			if err != nil {
				return err
			}
			return printRelease(cmd, g, rel, "Restarted")
		},
	}
	appFlag(cmd, &app)
	return cmd
}
