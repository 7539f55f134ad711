package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
)

func newExecCmd(m *container.Manager) *cobra.Command {
	var (
		opts        container.ExecOptions
		user        string
		interactive bool
	)
	cmd := &cobra.Command{
		Use:   "exec [flags] ID COMMAND [ARG...]",
		Short: "Run a command in a running container",
		Long: `exec starts COMMAND inside the running container ID: in its namespaces,
its cgroups and its root filesystem, as runc exec does. shibafu-ctr exits
with the command's exit code.`,
		Example: `  shibafu-ctr exec web ps
  shibafu-ctr exec -e DEBUG=1 -w /tmp web sh -c 'echo $DEBUG; pwd'`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if user != "" {
				uid, gid, err := bundle.ParseUser(user)
				if err != nil {
					return fmt.Errorf("--user: %w", err)
				}
				opts.User = &specs.User{UID: uid, GID: gid}
			}
			opts.Args = args[1:]

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			exit, err := m.Exec(ctx, args[0], opts, stdio(interactive))
			if err != nil {
				return err
			}
			return cli.Exit(exit.Code)
		},
	}
	fl := cmd.Flags()
	fl.SetInterspersed(false)
	fl.StringArrayVarP(&opts.Env, "env", "e", nil, "environment variable NAME=value (repeatable)")
	fl.StringVarP(&opts.Cwd, "workdir", "w", "", "working directory (default: the container's)")
	fl.StringVarP(&user, "user", "u", "", "UID[:GID] to run as (default: the container's user)")
	fl.BoolVarP(&interactive, "interactive", "i", false, "connect standard input")
	return cmd
}
