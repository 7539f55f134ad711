package daemon

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
)

// watch waits in the background for container id to exit, then gives
// back what it held and, for --rm, removes it. A container has one
// watcher at a time per daemon; a closing daemon leaves the container
// to the next one.
func (d *Daemon) watch(ctx context.Context, id string) {
	ctx, cancel := d.background(ctx)
	d.watchers.Add(1)
	go func() {
		defer d.watchers.Done()
		defer cancel()
		for {
			rec, err := d.db.get(id)
			if err != nil {
				return
			}
			health, stopHealth := context.WithCancel(ctx)
			d.startHealth(health, id)
			stopLogs := d.collectLogs(ctx, rec)
			exit, err := d.containers.Wait(ctx, id)
			// A daemon that stops leaves a half-written line to the next.
			stopLogs(ctx.Err() == nil)
			stopHealth()
			if ctx.Err() != nil {
				return
			} else if err != nil && !errors.Is(err, container.ErrNotFound) {
				d.log.Warn("lost track of a container", "id", id, "err", err)
				exit.Code = -1 // unknown: no restart
			}
			if !d.afterExit(ctx, rec, exit) {
				return
			}
		}
	}()
}

// afterExit handles the exit of the run of a container that started at
// run.Started: it restarts it if its restart policy says so, and reports
// that it did; otherwise it releases it, or removes it if it was run with
// --rm. A run that a user started again meanwhile has a watcher of its
// own, so afterExit leaves it alone.
func (d *Daemon) afterExit(ctx context.Context, run *record, exit container.Exit) bool {
	id := run.ID
	d.emit("die", run, "exitCode", strconv.Itoa(exit.Code))
	if d.restartDue(ctx, id, exit) {
		unlock := d.lock(id)
		rec, err := d.db.get(id)
		if err == nil && !rec.UserStopped && rec.Started.Equal(run.Started) {
			err = d.restartInPlace(ctx, rec)
			if err == nil {
				d.log.Info("container restarted", "id", id, "name", rec.Name,
					"exitCode", exit.Code, "restarts", rec.RestartCount)
				d.emit("restart", rec)
				unlock()
				return true
			}
			d.log.Error("cannot restart a container", "id", id, "err", err)
		}
		unlock()
	}
	if ctx.Err() != nil {
		return false
	}

	unlock := d.lock(id)
	defer unlock()
	rec, err := d.db.get(id)
	if err != nil || !rec.Started.Equal(run.Started) {
		return false // removed, or started again, meanwhile
	}
	d.log.Info("container exited", "id", id, "name", rec.Name, "exitCode", exit.Code)
	if rec.Config.AutoRemove {
		err = d.remove(ctx, rec, true)
	} else {
		err = d.release(ctx, rec)
	}
	if err != nil {
		d.log.Error("cannot clean up after a container", "id", id, "err", err)
	}
	return false
}

// releaseID is release for a container known by ID.
func (d *Daemon) releaseID(ctx context.Context, id string) error {
	rec, err := d.db.get(id)
	if err != nil {
		return err
	}
	return d.release(ctx, rec)
}

// release gives back what a container that no longer runs holds on the
// host: its published ports, its DNS names, its veth pairs and
// addresses, and its network namespace. Each step accepts that its
// part is gone already, so release can run again after a crash. The
// rootfs and logs stay until the container is removed. The caller holds
// the container's lock.
func (d *Daemon) release(ctx context.Context, rec *record) error {
	if rec.Released {
		return nil
	}
	_, perr := d.ports.UnpublishOwner(ctx, rec.ID)
	err := errors.Join(
		perr,
		d.names.unregister(rec.Name, rec.networks()),
		d.networks.DetachAll(ctx, rec.ID),
		network.DeleteNamespace(d.netnsPath(rec.ID)),
	)
	if err != nil {
		return fmt.Errorf("release %s: %w", rec.Name, err)
	}
	rec.Released = true
	return d.db.put(rec)
}
