package daemon

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase1-libcontainer/container"
)

// The restart policies of `--restart`, as docker names them.
const (
	restartNo            = "no"
	restartOnFailure     = "on-failure"
	restartAlways        = "always"
	restartUnlessStopped = "unless-stopped"
)

// restartPolicy says what the daemon does when a container exits on
// its own (not by stop).
type restartPolicy struct {
	name string
	// max bounds the restarts of on-failure; 0 means no bound.
	max int
}

// parseRestart reads a --restart value: no, on-failure[:N], always or
// unless-stopped; empty means no.
func parseRestart(s string) (restartPolicy, error) {
	name, count, hasCount := strings.Cut(s, ":")
	p := restartPolicy{name: name}
	switch {
	case s == "":
		p.name = restartNo
	case hasCount && name == restartOnFailure:
		n, err := strconv.Atoi(count)
		if err != nil || n < 0 {
			return p, fmt.Errorf("--restart %q: want on-failure:N with N a count", s)
		}
		p.max = n
	case !hasCount && (name == restartNo || name == restartOnFailure ||
		name == restartAlways || name == restartUnlessStopped):
	default:
		return p, fmt.Errorf("--restart %q: want no, on-failure[:N], always or unless-stopped", s)
	}
	return p, nil
}

// wants reports whether a container that exited with code after
// restarts restarts should start again.
func (p restartPolicy) wants(code, restarts int) bool {
	switch p.name {
	case restartAlways, restartUnlessStopped:
		return true
	case restartOnFailure:
		return code != 0 && (p.max == 0 || restarts < p.max)
	}
	return false
}

// Restart backoff, as docker does it: the delay doubles with each
// restart of a container that keeps failing soon after it starts, and
// falls back to the first once it has run steadily for a while.
const (
	firstRestartDelay = 100 * time.Millisecond
	maxRestartDelay   = 10 * time.Second
	steadyRun         = 10 * time.Second
)

// restartDelay is how long to wait before restarting rec.
func restartDelay(rec *record) time.Duration {
	if time.Since(rec.Started) > steadyRun {
		return firstRestartDelay
	}
	return min(firstRestartDelay<<min(rec.RestartCount, 10), maxRestartDelay)
}

// restartDue waits out the backoff and reports whether the container,
// which exited with exit, is to be restarted by its policy: it was not
// stopped by a user, nor removed meanwhile.
func (d *Daemon) restartDue(ctx context.Context, id string, exit container.Exit) bool {
	rec, err := d.db.get(id)
	if err != nil || rec.UserStopped {
		return false
	}
	p, err := parseRestart(rec.Config.Restart)
	if err != nil || !p.wants(exit.Code, rec.RestartCount) {
		return false
	}
	select {
	case <-ctx.Done():
		return false // the daemon closes; the next one recovers it
	case <-time.After(restartDelay(rec)):
	}
	rec, err = d.db.get(id)
	return err == nil && !rec.UserStopped
}

// restartInPlace starts an exited container again in what it still
// holds: its rootfs, network namespace, addresses, ports and names,
// which are only given back when it is not to be restarted. Phase 1
// deletes a container's directory, raw output included, so startAgain
// collects the last of it into the log first. The caller holds the
// container's lock.
func (d *Daemon) restartInPlace(ctx context.Context, rec *record) error {
	if rec.Released {
		return errors.New("its network was given back")
	}
	if err := d.startAgain(ctx, rec); err != nil {
		return err
	}
	rec.RestartCount++
	return d.db.put(rec)
}

// startAgain starts a new run of an exited container in its rootfs and
// network namespace, collecting the output of the last run first. The caller
// holds the container's lock.
func (d *Daemon) startAgain(ctx context.Context, rec *record) error {
	spec, err := d.specOf(rec)
	if err != nil {
		return err
	}
	if err := d.drainLogs(rec, true); err != nil {
		return err
	}
	err = d.containers.Delete(ctx, rec.ID, true)
	if err != nil && !errors.Is(err, container.ErrNotFound) {
		return err
	}
	sn, err := d.snapshots.Get(rec.ID)
	if err != nil {
		return err
	}
	cc := container.Config{ID: rec.ID, Spec: spec, Rootfs: sn.Mountpoint()}
	if err := d.containers.RunDetached(ctx, cc); err != nil {
		return fmt.Errorf("start container: %w", err)
	}
	rec.Started = time.Now().UTC()
	return d.db.put(rec)
}

// specOf builds the runtime spec of a container from its record again,
// as Run did: the image's process, the limits, the volumes, the pinned
// netns and the /etc files.
func (d *Daemon) specOf(rec *record) (*specs.Spec, error) {
	img, err := d.images.Get(rec.Image)
	if err != nil {
		return nil, categorize(fmt.Errorf("image %s: %w", rec.Image, err))
	}
	spec, err := runtimeSpec(img, rec.Config, rec.Name)
	if err != nil {
		return nil, err
	}
	mounts, err := d.volumeMounts(rec.Config.Volumes)
	if err != nil {
		return nil, err
	}
	spec.Mounts = append(spec.Mounts, mounts...)
	setNetns(spec, d.netnsPath(rec.ID))
	if err := d.writeEtc(spec, rec); err != nil {
		return nil, err
	}
	return spec, nil
}
