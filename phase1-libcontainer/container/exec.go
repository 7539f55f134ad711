package container

import (
	"context"
	"errors"
	"fmt"

	"github.com/opencontainers/runc/libcontainer"
	"golang.org/x/sys/unix"
)

// Exec runs a second process in the running container id and waits for
// it, like `runc exec`: libcontainer re-executes this binary as "init"
// once more, and nsenter joins the container's namespaces (setns(2)) and
// cgroups before the process execs. Cancelling ctx kills the process.
func (m *Manager) Exec(ctx context.Context, id string, opts ExecOptions, stdio Stdio) (
	Exit, error,
) {
	if len(opts.Args) == 0 {
		return Exit{}, errors.New("exec: no command given")
	}
	c, err := m.load(id)
	if err != nil {
		return Exit{}, err
	}
	status, err := c.Status()
	if err != nil {
		return Exit{}, fmt.Errorf("exec in %s: %w", id, err)
	}
	if status != libcontainer.Running {
		return Exit{}, fmt.Errorf("exec in %s: %w (it is %s)", id, ErrNotRunning, status)
	}
	spec, err := readSpec(m.dir(id))
	if err != nil {
		return Exit{}, err
	}
	procStdio := stdio
	if opts.TTY {
		procStdio = Stdio{} // the terminal is the process's stdio
	}
	p, err := newProcess(execProcess(spec.Process, opts), procStdio)
	if err != nil {
		return Exit{}, err
	}
	var tty *console
	if opts.TTY {
		if tty, err = newConsole(p, opts); err != nil {
			return Exit{}, fmt.Errorf("exec in %s: %w", id, err)
		}
		defer tty.close()
	}

	if err := c.Run(p); err != nil {
		return Exit{}, fmt.Errorf("exec in %s: %w", id, err)
	}
	stop := context.AfterFunc(ctx, func() { p.Signal(unix.SIGKILL) })
	defer stop()
	if tty != nil {
		if err := tty.attach(stdio); err != nil {
			p.Signal(unix.SIGKILL)
			p.Wait()
			return Exit{}, fmt.Errorf("exec in %s: %w", id, err)
		}
	}
	state, _ := p.Wait()
	if tty != nil {
		tty.drain()
	}
	return exitOf(state), nil
}
