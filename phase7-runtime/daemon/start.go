package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// Start starts an exited container again, like `docker start`: in the
// same rootfs, with its network set up anew as Run did it (the watcher
// gave the old one back at the exit), and its restart policy in force
// again. Starting a running container does nothing.
func (d *Daemon) Start(ctx context.Context, idOrName string) (err error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	unlock := d.lock(rec.ID)
	defer unlock()
	if rec, err = d.db.get(rec.ID); err != nil {
		return err
	}
	if d.running(rec.ID) {
		return nil
	}

	var u undo
	defer func() {
		if err != nil {
			err = categorize(err)
			if uerr := u.run(); uerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back start: %w", uerr))
			}
		}
	}()
	ctx = context.WithoutCancel(ctx)
	if rec.Released {
		wasPrepared := rec.Prepared
		u.push(func() error {
			rec.Released, rec.Prepared = true, wasPrepared
			return d.db.put(rec)
		})
		if err := d.reattach(ctx, rec, d.networksOf(rec), &u); err != nil {
			return fmt.Errorf("start %s: %w", rec.Name, err)
		}
	}
	rec.UserStopped, rec.Prepared = false, false
	if err := d.startAgain(ctx, rec); err != nil {
		return fmt.Errorf("start %s: %w", rec.Name, err)
	}
	d.log.Info("container started", "id", rec.ID, "name", rec.Name, "image", rec.Image)
	d.emit("start", rec)
	d.watch(ctx, rec.ID)
	return nil
}

// reattach sets up again what release gave back: the network namespace,
// an address on each network, the published ports and the DNS names.
// The addresses may differ from the last run's.
func (d *Daemon) reattach(ctx context.Context, rec *record, nets []string, u *undo) error {
	eps, err := d.attach(ctx, rec.ID, nets, u)
	if err != nil {
		return err
	}
	rec.Endpoints = eps
	if rec.Ports, err = d.publish(ctx, rec); err != nil {
		return err
	}
	u.push(func() error { _, err := d.ports.UnpublishOwner(ctx, rec.ID); return err })
	if err := d.names.register(rec.Name, aliasesOf(rec.Config), eps); err != nil {
		return err
	}
	u.push(func() error { return d.names.unregister(rec.Name, rec.networks()) })
	rec.Released = false
	return d.db.put(rec)
}

// networksOf is the networks a container joins when it starts: those it
// was on, or for one that never ran, those it was created for.
func (d *Daemon) networksOf(rec *record) []string {
	if nets := rec.networks(); len(nets) > 0 {
		return nets
	}
	if len(rec.Config.Networks) > 0 {
		return rec.Config.Networks
	}
	return []string{d.cfg.Network}
}

// Restart stops a running container and starts it again, like `docker
// restart`.
func (d *Daemon) Restart(ctx context.Context, idOrName string, timeout time.Duration) error {
	if err := d.Stop(ctx, idOrName, timeout); err != nil {
		return err
	}
	return d.Start(ctx, idOrName)
}

// Wait blocks until a container exits and returns its exit code, like
// `docker wait`. A container that has exited already answers at once.
func (d *Daemon) Wait(ctx context.Context, idOrName string) (*api.WaitResponse, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, err
	}
	exit, err := d.containers.Wait(ctx, rec.ID)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The status may be lost (a killed shim); the view knows best.
		s := d.state(ctx, rec)
		return &api.WaitResponse{ExitCode: s.ExitCode, OOMKilled: s.OOMKilled}, nil
	}
	return &api.WaitResponse{ExitCode: exit.Code, OOMKilled: exit.OOMKilled}, nil
}
