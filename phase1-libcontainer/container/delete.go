package container

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/opencontainers/runc/libcontainer"
	"golang.org/x/sys/unix"
)

// stopTimeout bounds how long Delete waits for a killed container to go.
const stopTimeout = 10 * time.Second

// Delete removes the container id: its cgroups, libcontainer state and
// directory (with the root filesystem, if it was built there), like
// `runc delete`. A running or paused container is refused with
// ErrRunning unless force is set; then it is killed first. A created
// container, which runs nothing yet, is always deleted.
func (m *Manager) Delete(ctx context.Context, id string, force bool) error {
	st, err := m.State(id)
	if err != nil {
		return err
	}
	if (st.Status == Running || st.Status == Paused) && !force {
		return fmt.Errorf("delete %s: %w (kill it first, or force)", id, ErrRunning)
	}

	ctx, cancel := context.WithTimeout(ctx, stopTimeout)
	defer cancel()
	if err := m.teardown(ctx, id); err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	if err := os.RemoveAll(st.Bundle); err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	return nil
}

// teardown kills the container if it still runs, lets its monitor finish,
// and destroys what the monitor did not: the libcontainer state and
// cgroups of a container whose monitor died.
func (m *Manager) teardown(ctx context.Context, id string) error {
	c, err := libcontainer.Load(m.lcRoot(), id)
	if errors.Is(err, libcontainer.ErrNotExist) {
		return m.waitMonitor(ctx, id)
	}
	if err != nil {
		return err
	}
	// SIGKILL also thaws a paused container on cgroup v1, where a
	// frozen process would not die.
	if err := c.Signal(unix.SIGKILL); err != nil && !errors.Is(err, libcontainer.ErrNotRunning) {
		return fmt.Errorf("kill: %w", err)
	}
	for monitorAlive(m.dir(id)) {
		killStragglers(c)
		if err := sleep(ctx, pollInterval); err != nil {
			return fmt.Errorf("wait for monitor: %w", err)
		}
	}
	for {
		status, err := c.Status()
		if err != nil {
			return err
		}
		if status == libcontainer.Stopped {
			return c.Destroy()
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return fmt.Errorf("wait for exit: %w", err)
		}
	}
}

// killStragglers kills what is left in the container's cgroup. The
// kernel kills every process of the container's PID namespace with its
// init, but an exec on its way in (a health check, say) joins the
// cgroup before the namespace: it would survive, keep the cgroup busy,
// and the monitor would spend seconds failing to remove it. (runc
// freezes the cgroup before it kills all in it, so that no PID read can
// be reused by another process in between; here the time between reading
// a PID and killing it is far too short for the kernel to reuse it.)
func killStragglers(c *libcontainer.Container) {
	pids, err := c.Processes()
	if err != nil {
		return // the cgroup is gone already
	}
	for _, pid := range pids {
		unix.Kill(pid, unix.SIGKILL)
	}
}

// waitMonitor waits until the container has no monitor any more.
func (m *Manager) waitMonitor(ctx context.Context, id string) error {
	for monitorAlive(m.dir(id)) {
		if err := sleep(ctx, pollInterval); err != nil {
			return fmt.Errorf("wait for monitor: %w", err)
		}
	}
	return nil
}
