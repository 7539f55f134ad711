package daemon

import (
	"context"
	"errors"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/snapshot"
)

// recover takes charge of the containers in the database when the daemon
// starts, after a clean stop, a crash or a reboot alike. Each one's
// rootfs is mounted again if a reboot unmounted it (Open then adds back
// the iptables rules of published ports that were dropped, with
// portmap.Restore). Then:
//
//   - one still running (its shim outlived the old daemon) is watched
//     again, so its exit is noticed and cleaned up;
//   - one that exited while no daemon was watching is released now (or
//     removed, if it was run with --rm);
//   - one whose run never reached the start (the daemon died midway) is
//     removed, as a failed run would have been; one made by create, which
//     waits for start, stays as it is.
//
// It returns the containers that their restart policy starts again now
// that the daemon starts (see bootStarts); Open starts them once the
// rules of published ports are back.
func (d *Daemon) recover(ctx context.Context) (boot []*record, err error) {
	recs, err := d.db.list()
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		d.healths.load(rec.ID)
		// After a reboot the overlays are gone; mount them again
		// (nothing happens to a mounted one).
		if _, err := d.snapshots.Mount(rec.ID); err != nil &&
			!errors.Is(err, snapshot.ErrNotFound) {
			d.log.Warn("cannot mount a container's rootfs", "id", rec.ID, "err", err)
		}
		st, err := d.containers.State(rec.ID)
		live := err == nil && st.Status != container.Stopped
		switch {
		case live:
			d.watch(ctx, rec.ID)
		case rec.Started.IsZero() && rec.Prepared:
			// made by create, waiting for start
		case rec.Started.IsZero() || rec.Config.AutoRemove:
			err = d.remove(ctx, rec, true)
		case !rec.Released && !rec.UserStopped && rec.Config.Restart != "" &&
			rec.Config.Restart != restartNo:
			// The watcher finds the exit at once and applies the policy,
			// restarting it or releasing it.
			d.watch(ctx, rec.ID)
		default:
			err = d.release(ctx, rec)
			if bootStarts(rec) {
				boot = append(boot, rec)
			}
		}
		if err != nil && !errors.Is(err, container.ErrNotFound) {
			d.log.Error("cannot recover a container", "id", rec.ID, "err", err)
			continue
		}
		d.log.Info("recovered a container", "id", rec.ID, "name", rec.Name, "running", live)
	}
	return boot, nil
}

// bootStarts reports whether the restart policy of a container that
// ran before and is not running now starts it when the daemon starts,
// as docker does: always starts it even if a user stopped it (the stop
// holds only while that daemon runs), unless-stopped only if no user
// did. on-failure and no leave it as it is.
func bootStarts(rec *record) bool {
	if rec.Started.IsZero() || rec.Config.AutoRemove {
		return false
	}
	p, err := parseRestart(rec.Config.Restart)
	if err != nil {
		return false
	}
	switch p.name {
	case restartAlways:
		return true
	case restartUnlessStopped:
		return !rec.UserStopped
	}
	return false
}

// startOnBoot starts the containers that recover found due for a start
// by their restart policy. A failure is logged and the others go on: the
// daemon must come up even if one container cannot.
func (d *Daemon) startOnBoot(ctx context.Context, boot []*record) {
	for _, rec := range boot {
		if err := d.Start(ctx, rec.ID); err != nil {
			d.log.Error("cannot start a container by its restart policy", "id", rec.ID,
				"name", rec.Name, "err", err)
			continue
		}
		d.log.Info("started a container by its restart policy", "id", rec.ID,
			"name", rec.Name, "restart", rec.Config.Restart)
	}
}
