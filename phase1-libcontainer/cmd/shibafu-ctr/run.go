package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
)

func newRunCmd(m *container.Manager) *cobra.Command {
	var (
		f           specFlags
		detach      bool
		interactive bool
	)
	cmd := &cobra.Command{
		Use:   "run [flags] COMMAND [ARG...]",
		Short: "Create and start a container",
		Long: `run creates a container and starts COMMAND in it.

In the foreground (the default) the container's output streams here and
shibafu-ctr exits with the container's exit code (128+N if signal N killed
it); Ctrl-C kills the container. With --detach it runs in the background
under a shim, its ID is printed, and its output goes to log files.

Without --rootfs the container gets a fresh busybox root filesystem in its
state directory, deleted with it.`,
		Example: `  shibafu-ctr run echo hi
  shibafu-ctr run --rm --memory 64m --pids-limit 20 sh -c 'ulimit -a'
  shibafu-ctr run -d --name web --hostname web httpd -f -p 8080`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(args)
			if err != nil {
				return err
			}
			if detach {
				if err := m.RunDetached(cmd.Context(), cfg); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), cfg.ID)
				return nil
			}

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			exit, err := m.Run(ctx, cfg, stdio(interactive))
			if err != nil {
				return err
			}
			return cli.Exit(exit.Code)
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVarP(&detach, "detach", "d", false, "run in the background and print the ID")
	cmd.Flags().BoolVarP(&interactive, "interactive", "i", false, "connect standard input")
	return cmd
}

// stdio connects a foreground process to this terminal; its standard
// input only if asked, as docker does.
func stdio(interactive bool) container.Stdio {
	s := container.Stdio{Stdout: os.Stdout, Stderr: os.Stderr}
	if interactive {
		s.Stdin = os.Stdin
	}
	return s
}
