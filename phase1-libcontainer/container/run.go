package container

import (
	"context"
	"os"
)

// Run runs a container in the foreground, the equivalent of `runc run`:
// the calling process becomes its parent, streams its stdio and waits for
// it to exit. It returns how the container's process ended; err is set
// when the container could not be created or started (then nothing of it
// is left) or could not be cleaned up after it ended. Cancelling ctx
// kills the container.
//
// Unless cfg.AutoRemove is set, the stopped container is kept, with its
// exit status, until Delete.
func (m *Manager) Run(ctx context.Context, cfg Config, stdio Stdio) (Exit, error) {
	dir, spec, err := m.reserve(cfg)
	if err != nil {
		return Exit{}, err
	}
	mon, err := m.startMonitored(dir, cfg.ID, spec, stdio)
	if err == nil {
		err = mon.exec()
	}
	if err != nil {
		os.RemoveAll(dir)
		return Exit{}, err
	}

	stop := context.AfterFunc(ctx, mon.kill)
	defer stop()
	return mon.wait(cfg.AutoRemove)
}
