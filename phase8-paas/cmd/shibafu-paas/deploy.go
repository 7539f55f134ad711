package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/source"
)

func newDeployCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "deploy -a APP [DIR]",
		Short: "Build and deploy a directory's source (default: the working directory)",
		Long: `deploy uploads DIR (default ".") as a tarball, leaving out what its
.gitignore and .dockerignore name, then streams the build and the rollout.
The app's previous release serves until the new one is healthy.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(source.Pack(dir, pw)) }()
			fmt.Fprintf(cmd.ErrOrStderr(), "-----> Uploading %s to %s\n", dir, app)
			start := time.Now()
			rel, err := g.client().Deploy(cmd.Context(), app, pr, g.logf(cmd))
			pr.CloseWithError(err)
			if err != nil {
				return err
			}
			return g.print(cmd, rel, func() {
				fmt.Fprintf(cmd.OutOrStdout(), "-----> Released v%d of %s in %.1fs\n",
					rel.Number, app, time.Since(start).Seconds())
			})
		},
	}
	appFlag(cmd, &app)
	return cmd
}

// printRelease is what a command that made a release prints at the end.
func printRelease(cmd *cobra.Command, g *globals, rel *api.Release, what string) error {
	if rel == nil { // before the first deploy: nothing to roll out
		return g.print(cmd, struct{}{}, func() {})
	}
	return g.print(cmd, rel, func() {
		fmt.Fprintf(cmd.OutOrStdout(), "-----> %s: v%d of %s\n", what, rel.Number, rel.App)
	})
}
