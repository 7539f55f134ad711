package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// Create makes a container as req asks without starting it, like
// `docker create`: its record and its rootfs, nothing on the network
// yet. Start sets up its network and starts it.
func (d *Daemon) Create(ctx context.Context, req api.RunRequest) (_ *api.Container, err error) {
	p, err := d.newPlan(ctx, req)
	if err != nil {
		return nil, err
	}
	// Released: it holds no network. Prepared: recovery must keep it,
	// not take it for a run that died before its start.
	rec := &record{ID: p.id, Name: p.name, Image: req.Image, Created: time.Now().UTC(),
		Config: req, Released: true, Prepared: true}
	if err := d.db.create(rec); err != nil {
		return nil, err
	}
	unlock := d.lock(rec.ID)
	defer unlock()

	var u undo
	u.push(func() error { return d.db.delete(rec) })
	defer func() {
		if err != nil {
			err = categorize(err)
			if uerr := u.run(); uerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back create: %w", uerr))
			}
		}
	}()
	ctx = context.WithoutCancel(ctx)
	if _, err := d.snapshots.Prepare(ctx, rec.ID, rec.Image); err != nil {
		return nil, fmt.Errorf("prepare rootfs: %w", err)
	}
	u.push(func() error { return d.snapshots.Remove(rec.ID) })
	if err := os.MkdirAll(d.runtimeDir(rec.ID), 0o711); err != nil {
		return nil, fmt.Errorf("make runtime dir: %w", err)
	}

	d.log.Info("container created", "id", rec.ID, "name", rec.Name, "image", rec.Image)
	d.emit("create", rec)
	return d.view(ctx, rec), nil
}
