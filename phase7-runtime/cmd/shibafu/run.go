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
	var req api.RunRequest
	var detach bool
	cmd := &cobra.Command{
		Use:   "run [flags] IMAGE [COMMAND [ARG...]]",
		Short: "Run a command in a new container",
		Long: `run creates a container from IMAGE and starts it. With -d it prints the
container's ID and returns; without, it shows the container's output until
it exits and exits with its code.`,
		Example: `  shibafu run --rm busybox echo hello
  shibafu run -d --name web -p 8080:80 busybox httpd -f -p 80`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Image, req.Cmd = args[0], args[1:]
			if detach {
				c, err := g.client().Run(cmd.Context(), req)
				if err != nil {
					return err
				}
				fmt.Println(c.ID)
				return nil
			}
			return runAttached(cmd, g.client(), req)
		},
	}
	cmd.Flags().SetInterspersed(false) // flags after IMAGE belong to COMMAND
	f := cmd.Flags()
	f.BoolVarP(&detach, "detach", "d", false, "run in the background and print the ID")
	f.StringVar(&req.Name, "name", "", "name the container (a DNS label)")
	f.StringArrayVarP(&req.Env, "env", "e", nil, "set an environment variable NAME=value")
	f.StringArrayVarP(&req.Ports, "publish", "p", nil,
		"publish a port: [HOSTIP:][HOSTPORT:]PORT[/PROTO]")
	f.StringArrayVar(&req.Networks, "network", nil, "join a network (repeatable)")
	f.StringVarP(&req.Memory, "memory", "m", "", "memory limit, such as 64m")
	f.Int64Var(&req.PidsLimit, "pids-limit", 0, "most processes the container may have")
	f.BoolVar(&req.AutoRemove, "rm", false, "remove the container when it exits")
	f.StringVar(&req.Hostname, "hostname", "", "host name (default: the container's name)")
	f.StringVarP(&req.WorkingDir, "workdir", "w", "", "working directory inside the container")
	f.StringVarP(&req.User, "user", "u", "", "user as UID or UID:GID")
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
