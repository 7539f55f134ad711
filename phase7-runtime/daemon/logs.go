package daemon

import (
	"context"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// followInterval is how often a followed log is read again. Polling
// the files keeps this simple; inotify would wake up sooner.
const followInterval = 100 * time.Millisecond

// LogOptions select what Logs sends.
type LogOptions struct {
	// Follow keeps sending new output until the container exits or ctx
	// ends, like `docker logs -f`.
	Follow bool
	// Tail sends only the last Tail lines of the output, both streams
	// counted together; negative means all.
	Tail int
	// Since sends only the lines logged at or after it; zero means all.
	Since time.Time
	// Timestamps starts every line with its time, in RFC 3339 with
	// nanoseconds, and a space.
	Timestamps bool
}

// Logs sends a container's output to send, line by line in the order
// the daemon collected it, from the container's JSON-lines log and its
// rotated files (see collector).
func (d *Daemon) Logs(ctx context.Context, idOrName string, opts LogOptions,
	send func(api.Frame) error) error {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	running, err := d.collected(ctx, rec)
	if err != nil {
		return err
	}
	log := d.logOf(rec.ID)
	// The current file is opened before the rotated ones are read, so
	// that a rotation in between loses nothing.
	r, err := openLogReader(log)
	if err != nil {
		return err
	}
	defer r.close()
	entries, err := log.readOld()
	if err != nil {
		return err
	}
	cur, err := r.next()
	if err != nil {
		return err
	}
	if err := sendEntries(pick(append(entries, cur...), opts), opts, send); err != nil {
		return err
	}

	for opts.Follow && running {
		select {
		case <-ctx.Done():
			return nil
		case <-d.closing:
			return nil
		case <-time.After(followInterval):
		}
		// Look at the state before reading, so that output written
		// just before the exit is still read below.
		if running, err = d.collected(ctx, rec); err != nil {
			return err
		}
		entries, err := r.next()
		if err != nil {
			return err
		}
		if err := sendEntries(pick(entries, LogOptions{Tail: -1, Since: opts.Since}),
			opts, send); err != nil {
			return err
		}
	}
	return nil
}

// collected collects what the container wrote since its watcher last
// did, so that logs is up to date, and reports whether it runs. When it
// does not, the rest is collected too, a last line without its newline
// included; its watcher may not have done it yet (or ever, for a run
// that ended while no daemon ran).
func (d *Daemon) collected(ctx context.Context, rec *record) (bool, error) {
	now, err := d.db.get(rec.ID)
	if err != nil {
		return false, err
	}
	running := d.state(ctx, now).Status == api.StatusRunning
	return running, d.drainLogs(now, !running)
}

// pick applies Since, then Tail, to entries.
func pick(entries []logEntry, opts LogOptions) []logEntry {
	if !opts.Since.IsZero() {
		var kept []logEntry
		for _, e := range entries {
			if !e.Time.Before(opts.Since) {
				kept = append(kept, e)
			}
		}
		entries = kept
	}
	if opts.Tail >= 0 && len(entries) > opts.Tail {
		entries = entries[len(entries)-opts.Tail:]
	}
	return entries
}

// sendEntries sends entries as frames, one per run of lines of the same
// stream.
func sendEntries(entries []logEntry, opts LogOptions, send func(api.Frame) error) error {
	var f api.Frame
	for _, e := range entries {
		if e.Stream != f.Stream && len(f.Data) > 0 {
			if err := send(f); err != nil {
				return err
			}
			f.Data = nil
		}
		f.Stream = e.Stream
		if opts.Timestamps {
			f.Data = append(e.Time.AppendFormat(f.Data, time.RFC3339Nano), ' ')
		}
		f.Data = append(append(f.Data, e.Line...), '\n')
	}
	if len(f.Data) == 0 {
		return nil
	}
	return send(f)
}
