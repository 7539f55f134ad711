package container

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/opencontainers/runc/libcontainer"
)

// Create creates a detached container, the equivalent of `runc create`:
// a shim starts the container's init, which prepares the namespaces,
// mounts and cgroups and then waits for Start. Its output will go to log
// files (see Logs). On error nothing of the container is left.
func (m *Manager) Create(ctx context.Context, cfg Config) (err error) {
	dir, _, err := m.reserve(cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// A context of its own: ctx may be what failed.
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			defer cancel()
			m.teardown(ctx, cfg.ID)
			os.RemoveAll(dir)
		}
	}()
	return m.spawnShim(ctx, cfg.ID)
}

// Start starts the user's process of a created container, the equivalent
// of `runc start`. It may be called from any process.
func (m *Manager) Start(id string) error {
	c, err := m.load(id)
	if err != nil {
		return err
	}
	status, err := c.Status()
	if err != nil {
		return fmt.Errorf("start %s: %w", id, err)
	}
	if status != libcontainer.Created {
		return fmt.Errorf("%w: %s is %s", ErrNotCreated, id, status)
	}
	// Opening the exec fifo releases the init, which then execs.
	if err := c.Exec(); err != nil {
		return fmt.Errorf("start %s: %w", id, err)
	}
	return nil
}

// RunDetached creates and starts a container that runs in the background,
// like `docker run -d`. If it cannot start, it is deleted again.
func (m *Manager) RunDetached(ctx context.Context, cfg Config) error {
	if err := m.Create(ctx, cfg); err != nil {
		return err
	}
	if err := m.Start(cfg.ID); err != nil {
		return errors.Join(err, m.Delete(ctx, cfg.ID, true))
	}
	return nil
}

// load opens the libcontainer view of a container that has not stopped.
func (m *Manager) load(id string) (*libcontainer.Container, error) {
	if _, err := m.existing(id); err != nil {
		return nil, err
	}
	c, err := libcontainer.Load(m.lcRoot(), id)
	if errors.Is(err, libcontainer.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotRunning, id)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	return c, nil
}
