package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

func newRunCmd(g *globals) *cobra.Command {
	var flags runFlags
	var detach bool
	cmd := &cobra.Command{
		Use:   "run [flags] IMAGE [COMMAND [ARG...]]",
		Short: "Run a command in a new container",
		Long: `run creates a container from IMAGE and starts it. With -d it prints the
container's ID and returns; without, it shows the container's output until
it exits and exits with its code. An image missing from the store whose
name starts with a registry host is pulled first.`,
		Example: `  shibafu run --rm busybox echo hello
  shibafu run -d --name web -p 8080:80 busybox httpd -f -p 80`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req, err := flags.request(cmd.Context(), cmd, g.client(), args)
			if err != nil {
				return err
			}
			if !detach {
				return runAttached(cmd, g.client(), req)
			}
			c, err := g.client().Run(cmd.Context(), req)
			if err != nil {
				return err
			}
			fmt.Println(c.ID)
			return nil
		},
	}
	flags.add(cmd)
	cmd.Flags().BoolVarP(&detach, "detach", "d", false, "run in the background and print the ID")
	return cmd
}

// runAttached runs a container and follows its output until it exits,
// like `docker run` without -d. --rm is done here, after the exit code
// was read, rather than by the daemon, which would remove the record
// that holds it.
func runAttached(cmd *cobra.Command, c *client.Client, req api.RunRequest) error {
	ctx := cmd.Context()
	remove := req.AutoRemove
	req.AutoRemove = false
	ctr, err := c.Run(ctx, req)
	if err != nil {
		return err
	}
	if err := c.Logs(ctx, ctr.ID, client.LogOptions{Follow: true, Tail: -1},
		os.Stdout, os.Stderr); err != nil {
		return err
	}
	final, err := c.Inspect(ctx, ctr.ID)
	if err != nil {
		return err
	}
	if remove {
		if err := c.Remove(ctx, ctr.ID, true); err != nil {
			return err
		}
	}
	return cli.Exit(final.State.ExitCode)
}
