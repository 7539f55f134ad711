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
func (d *Daemon) recover(ctx context.Context) error {
	recs, err := d.db.list()
	if err != nil {
		return err
	}
	for _, rec := range recs {
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
		}
		if err != nil && !errors.Is(err, container.ErrNotFound) {
			d.log.Error("cannot recover a container", "id", rec.ID, "err", err)
			continue
		}
		d.log.Info("recovered a container", "id", rec.ID, "name", rec.Name, "running", live)
	}
	return nil
}
