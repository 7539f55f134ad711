package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase1-libcontainer/container"
)

func newKillCmd(m *container.Manager) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [-s SIGNAL] ID",
		Short: "Send a signal to a container",
		Long: `kill sends a signal to the init process of container ID, SIGKILL by
default. Killing the init ends the whole container: the kernel kills every
process left in its PID namespace. The init is PID 1 of that namespace, so
it ignores any other signal unless it set a handler for it.`,
		Example: `  shibafu-ctr kill web
  shibafu-ctr kill -s TERM web`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sig, err := parseSignal(signal)
			if err != nil {
				return err
			}
			return m.Signal(args[0], sig)
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "KILL", "signal: name (TERM, SIGHUP) or number")
	return cmd
}

// parseSignal accepts "TERM", "SIGTERM", "sigterm" or "15".
func parseSignal(s string) (syscall.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 65 {
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("--signal %q: unknown signal", s)
}
