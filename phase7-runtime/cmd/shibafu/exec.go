package main

import (
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase7-runtime/api"
)

func newExecCmd(g *globals) *cobra.Command {
	var req api.ExecRequest
	cmd := &cobra.Command{
		Use:   "exec [flags] CONTAINER COMMAND [ARG...]",
		Short: "Run a command in a running container",
		Long: `exec runs a command in a running container, shows its output and exits
with its exit code. There is no terminal and no standard input yet.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Cmd = args[1:]
			code, err := g.client().Exec(cmd.Context(), args[0], req, os.Stdout, os.Stderr)
			if err != nil {
				return err
			}
			return cli.Exit(code)
		},
	}
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringArrayVarP(&req.Env, "env", "e", nil, "set an environment variable")
	cmd.Flags().StringVarP(&req.WorkingDir, "workdir", "w", "", "working directory")
	cmd.Flags().StringVarP(&req.User, "user", "u", "", "user as UID or UID:GID")
	return cmd
}
