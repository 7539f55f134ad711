package container

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// pollInterval is how often Wait and Delete look again at a container.
// Polling a file keeps the code simple; 20 ms is far below the cost of
// starting a container.
const pollInterval = 20 * time.Millisecond

// Wait blocks until the container id has stopped and returns how it
// ended, or until ctx is done. It works from any process: it watches for
// the exit.json that the container's monitor writes. If the monitor died
// before the container (a killed shim), the error wraps ErrNoExitStatus.
func (m *Manager) Wait(ctx context.Context, id string) (Exit, error) {
	dir, err := m.existing(id)
	if err != nil {
		return Exit{}, err
	}
	for {
		// Look at the monitor before the record: a monitor seen gone
		// has written whatever it was going to write.
		alive := monitorAlive(dir)
		exit, err := readExit(dir)
		switch {
		case err == nil:
			return *exit, nil
		case !errors.Is(err, os.ErrNotExist):
			return Exit{}, fmt.Errorf("wait %s: %w", id, err)
		case !alive:
			return m.waitOrphan(ctx, id)
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return Exit{}, fmt.Errorf("wait %s: %w", id, err)
		}
	}
}

// waitOrphan handles a container without a monitor: removed by
// AutoRemove, still being created, or left by a monitor that died.
func (m *Manager) waitOrphan(ctx context.Context, id string) (Exit, error) {
	if _, err := m.existing(id); err != nil {
		return Exit{}, err
	}
	for {
		status, _, err := m.liveStatus(id)
		if err != nil {
			return Exit{}, fmt.Errorf("wait %s: %w", id, err)
		}
		if status == Stopped {
			return Exit{}, fmt.Errorf("wait %s: %w (its monitor is gone)", id, ErrNoExitStatus)
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return Exit{}, fmt.Errorf("wait %s: %w", id, err)
		}
	}
}

// sleep waits for d, or returns ctx's error if it ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
