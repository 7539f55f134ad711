package container

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/opencontainers/runc/libcontainer"
)

// Signal sends sig to the container's init process, the equivalent of
// `runc kill`. SIGKILL ends the whole container: when the init of a PID
// namespace dies, the kernel kills every process left in it.
func (m *Manager) Signal(id string, sig syscall.Signal) error {
	c, err := m.load(id)
	if err != nil {
		return err
	}
	if err := c.Signal(sig); err != nil {
		return fmt.Errorf("signal %s: %w", id, lcError(err))
	}
	return nil
}

// Pause freezes every process of the container with the freezer cgroup
// (freezer.state FROZEN on v1, cgroup.freeze 1 on v2), like `runc pause`.
func (m *Manager) Pause(id string) error {
	c, err := m.load(id)
	if err != nil {
		return err
	}
	if err := c.Pause(); err != nil {
		return fmt.Errorf("pause %s: %w", id, lcError(err))
	}
	return nil
}

// Resume thaws a paused container, like `runc resume`.
func (m *Manager) Resume(id string) error {
	c, err := m.load(id)
	if err != nil {
		return err
	}
	if err := c.Resume(); err != nil {
		return fmt.Errorf("resume %s: %w", id, lcError(err))
	}
	return nil
}

// lcError maps libcontainer's state errors to this package's.
func lcError(err error) error {
	switch {
	case errors.Is(err, libcontainer.ErrNotRunning):
		return ErrNotRunning
	case errors.Is(err, libcontainer.ErrNotPaused):
		return ErrNotPaused
	case errors.Is(err, libcontainer.ErrRunning):
		return ErrRunning
	}
	return err
}
