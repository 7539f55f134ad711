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
	p, err := newProcess(execProcess(spec.Process, opts), stdio)
	if err != nil {
		return Exit{}, err
	}

	if err := c.Run(p); err != nil {
		return Exit{}, fmt.Errorf("exec in %s: %w", id, err)
	}
	stop := context.AfterFunc(ctx, func() { p.Signal(unix.SIGKILL) })
	defer stop()
	state, _ := p.Wait()
	return exitOf(state), nil
}
