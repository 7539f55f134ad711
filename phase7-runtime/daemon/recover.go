package daemon

import (
	"context"
	"errors"

	"shibafu.dev/phase1-libcontainer/container"
)

// recover takes charge of the containers in the database when the daemon
// starts, after a clean stop or a crash alike:
//
//   - one still running (its shim outlived the old daemon) is watched
//     again, so its exit is noticed and cleaned up;
//   - one that exited while no daemon was watching is released now (or
//     removed, if it was run with --rm);
//   - one whose run never reached the start (the daemon died midway) is
//     removed, as a failed run would have been.
func (d *Daemon) recover(ctx context.Context) error {
	recs, err := d.db.list()
	if err != nil {
		return err
	}
	for _, rec := range recs {
		st, err := d.containers.State(rec.ID)
		live := err == nil && st.Status != container.Stopped
		switch {
		case live:
			d.watch(ctx, rec.ID)
		case rec.Started.IsZero() || rec.Config.AutoRemove:
			err = d.remove(ctx, rec, true)
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
