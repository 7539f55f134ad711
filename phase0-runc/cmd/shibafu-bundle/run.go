package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase0-runc/runc"
)

func newRunCmd(g *globals) *cobra.Command {
	var (
		id     string
		detach bool
	)
	cmd := &cobra.Command{
		Use:   "run DIR",
		Short: "Run a bundle with runc",
		Long: `run starts the bundle DIR with runc (runc run --bundle DIR ID). In the
foreground the container's output streams to this terminal and
shibafu-bundle exits with the container's exit code; the container is
deleted when it ends. With --detach the container keeps running in the
background, its output in DIR/container.log, until you kill and delete it.`,
		Example: `  shibafu-bundle run /tmp/hello
  shibafu-bundle run --detach --id web /tmp/web`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if id == "" {
				id = filepath.Base(filepath.Clean(dir))
			}
			if detach {
				log := filepath.Join(dir, "container.log")
				if err := g.runtime.Start(cmd.Context(), id, dir, log); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s started; output in %s\n", id, log)
				return nil
			}

			stdio := runc.Stdio{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
			code, err := g.runtime.Run(cmd.Context(), id, dir, stdio)
			if err != nil {
				return err
			}
			// runc run removes a foreground container when it exits.
			return cli.Exit(code)
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "container ID (default: the bundle directory's name)")
	cmd.Flags().BoolVarP(&detach, "detach", "d", false, "run in the background")
	return cmd
}
