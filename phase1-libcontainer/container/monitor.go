package container

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opencontainers/runc/libcontainer"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// A monitor is the process that is a container's parent and waits for
// it: the shim of a detached container, the caller of Run for a
// foreground one. It holds an exclusive flock(2) on dir/monitor.lock for
// as long as it lives. The kernel drops the lock when the process dies,
// however it dies, so other processes can tell whether an exit status
// can still arrive.
type monitor struct {
	dir  string
	lock *os.File
	c    *libcontainer.Container
	p    *libcontainer.Process
}

// startMonitored takes the monitor lock of the container in dir, creates
// the libcontainer container and starts its init. The init is a
// re-execution of this binary ("init") that sets up the namespaces,
// mounts and cgroups, then blocks on ROOT/lc/ID/exec.fifo until exec (or
// Start, from any process) opens the other end and lets it exec the
// user's process. On error everything it made is undone.
func (m *Manager) startMonitored(dir, id string, spec *specs.Spec, stdio Stdio) (
	_ *monitor, err error,
) {
	cfg, err := libcontainerConfig(id, spec)
	if err != nil {
		return nil, err
	}
	p, err := newProcess(spec.Process, stdio)
	if err != nil {
		return nil, err
	}
	p.Init = true
	lock, err := lockMonitor(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.Close()
		}
	}()

	c, err := libcontainer.Create(m.lcRoot(), id, cfg)
	if errors.Is(err, libcontainer.ErrExist) {
		return nil, fmt.Errorf("%w: %s", ErrExists, id)
	}
	if err != nil {
		return nil, fmt.Errorf("create container: %w", err)
	}
	if err := c.Start(p); err != nil {
		c.Destroy()
		return nil, fmt.Errorf("start init: %w", err)
	}
	return &monitor{dir: dir, lock: lock, c: c, p: p}, nil
}

// exec lets the waiting init exec the user's process. If that fails the
// container is torn down.
func (mon *monitor) exec() error {
	if err := mon.c.Exec(); err != nil {
		mon.kill()
		mon.p.Wait()
		mon.c.Destroy()
		mon.lock.Close()
		return fmt.Errorf("start container: %w", err)
	}
	return nil
}

// kill sends SIGKILL to the container's init. Its PID namespace dies with
// it: the kernel kills every other process in the namespace.
func (mon *monitor) kill() {
	mon.c.Signal(unix.SIGKILL)
}

// wait waits for the container's init to exit, reads whether the OOM
// killer struck, destroys the libcontainer container (its cgroups and
// state) and records the exit status; with remove it deletes the
// container's directory instead. It is the monitor's last job.
func (mon *monitor) wait(remove bool) (Exit, error) {
	defer mon.lock.Close()

	// Wait returns an error for any non-zero exit; the status says more.
	state, _ := mon.p.Wait()
	exit := exitOf(state)
	exit.OOMKilled = oomKills(mon.c) > 0

	err := mon.c.Destroy()
	if remove {
		return exit, errors.Join(err, os.RemoveAll(mon.dir))
	}
	return exit, errors.Join(err, writeExit(mon.dir, exit))
}

// lockMonitor takes the monitor lock of the container in dir. The
// returned file must stay open while the monitor lives.
func lockMonitor(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, monitorLock), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("monitor lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("monitor lock: %w", err)
	}
	return f, nil
}

// monitorAlive reports whether some process holds the monitor lock of the
// container in dir. It probes with a shared lock, so that probes running
// at the same time never mistake each other for the monitor.
func monitorAlive(dir string) bool {
	f, err := os.Open(filepath.Join(dir, monitorLock))
	if err != nil {
		return false
	}
	defer f.Close()
	err = unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB)
	return errors.Is(err, unix.EWOULDBLOCK)
}
