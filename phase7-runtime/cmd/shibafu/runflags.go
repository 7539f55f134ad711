package main

import (
	"context"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

// runFlags are the flags `run` and `create` share: everything that
// describes the container.
type runFlags struct {
	req        api.RunRequest
	health     api.HealthConfig
	envFiles   []string
	labels     []string
	entrypoint string
}

// add declares the flags on cmd, which takes IMAGE [COMMAND [ARG...]].
func (o *runFlags) add(cmd *cobra.Command) {
	cmd.Flags().SetInterspersed(false) // flags after IMAGE belong to COMMAND
	f := cmd.Flags()
	req, health := &o.req, &o.health
	f.StringVar(&req.Name, "name", "", "name the container (a DNS label)")
	f.StringArrayVarP(&req.Env, "env", "e", nil, "set an environment variable NAME=value")
	f.StringArrayVar(&o.envFiles, "env-file", nil, "read environment variables from a file")
	f.StringArrayVarP(&req.Ports, "publish", "p", nil,
		"publish a port: [HOSTIP:][HOSTPORT:]PORT[/PROTO]")
	f.StringArrayVar(&req.Networks, "network", nil, "join a network (repeatable)")
	f.StringArrayVar(&req.Aliases, "network-alias", nil,
		"a further DNS name, answered by every container that has it (repeatable)")
	f.StringVarP(&req.Memory, "memory", "m", "", "memory limit, such as 64m")
	f.Float64Var(&req.CPUs, "cpus", 0, "CPU limit in CPUs, such as 0.5")
	f.Int64Var(&req.PidsLimit, "pids-limit", 0, "most processes the container may have")
	f.BoolVar(&req.AutoRemove, "rm", false, "remove the container when it exits")
	f.StringVar(&req.Hostname, "hostname", "", "host name (default: the container's name)")
	f.StringVarP(&req.WorkingDir, "workdir", "w", "", "working directory inside the container")
	f.StringVarP(&req.User, "user", "u", "", "user as UID or UID:GID")
	f.StringVar(&o.entrypoint, "entrypoint", "", "replace the image's entrypoint (and its cmd)")
	f.BoolVar(&req.ReadOnly, "read-only", false, "mount the root filesystem read-only")
	f.StringArrayVarP(&req.Volumes, "volume", "v", nil,
		"mount a host path or a named volume: /HOST/PATH:/PATH[:ro] or NAME:/PATH[:ro]")
	f.StringArrayVarP(&o.labels, "label", "l", nil, "add a label KEY=value (repeatable)")
	f.StringVar(&req.Restart, "restart", "no",
		"restart policy: no, on-failure[:N], always or unless-stopped")
	f.StringVar(&health.Cmd, "health-cmd", "", "command to check health, run with sh -c")
	f.DurationVar(&health.Interval, "health-interval", 0, "time between checks (default 30s)")
	f.DurationVar(&health.Timeout, "health-timeout", 0, "longest a check may run (default 30s)")
	f.IntVar(&health.Retries, "health-retries", 0,
		"failures in a row that make it unhealthy (default 3)")
	f.DurationVar(&health.StartPeriod, "health-start-period", 0,
		"grace time after the start in which failures do not count")
}

// request builds the run request of the command line, reading the env
// files, and pulls the image first if it is missing and names a
// registry.
func (o *runFlags) request(ctx context.Context, cmd *cobra.Command, c *client.Client,
	args []string) (api.RunRequest, error) {
	req := o.req
	req.Image, req.Cmd = args[0], args[1:]
	if o.health.Cmd != "" {
		req.Health = &o.health
	}
	fileEnv, err := readEnvFiles(o.envFiles)
	if err != nil {
		return req, err
	}
	// -e comes last, so that it wins over the files.
	req.Env = append(fileEnv, req.Env...)
	req.Labels = parseLabels(o.labels)
	if cmd.Flags().Changed("entrypoint") {
		req.Entrypoint = []string{}
		if o.entrypoint != "" {
			req.Entrypoint = []string{o.entrypoint}
		}
	}
	return req, pullIfMissing(ctx, c, req.Image)
}
