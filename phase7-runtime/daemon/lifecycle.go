package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/snapshot"
)

// killWait bounds how long stop waits for a container to die after
// SIGKILL, which the kernel delivers at once.
const killWait = 10 * time.Second

// Stop stops a running container like `docker stop`: SIGTERM, then
// SIGKILL if it is still running after timeout (0 means the configured
// StopTimeout). It returns once the container has exited and its ports,
// names and addresses are given back. Stopping a stopped container does
// nothing.
func (d *Daemon) Stop(ctx context.Context, idOrName string, timeout time.Duration) error {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	if timeout <= 0 {
		timeout = d.cfg.StopTimeout
	}
	// The mark goes to the record before the signal, so the exit
	// watcher, which reads the record after the exit, sees it.
	if err := d.markStopped(rec.ID, true); err != nil {
		return err
	}
	if err := d.containers.Signal(rec.ID, unix.SIGTERM); err == nil {
		if !d.waitExit(ctx, rec.ID, timeout) {
			d.log.Info("container ignored SIGTERM, killing it", "id", rec.ID,
				"timeout", timeout)
			if err := d.containers.Signal(rec.ID, unix.SIGKILL); err != nil &&
				!errors.Is(err, container.ErrNotRunning) {
				return categorize(fmt.Errorf("stop %s: %w", rec.Name, err))
			}
			if !d.waitExit(ctx, rec.ID, killWait) {
				return fmt.Errorf("stop %s: still running after SIGKILL", rec.Name)
			}
		}
	} else if !errors.Is(err, container.ErrNotRunning) && !errors.Is(err, container.ErrNotFound) {
		return categorize(fmt.Errorf("stop %s: %w", rec.Name, err))
	}

	unlock := d.lock(rec.ID)
	defer unlock()
	if err := d.releaseID(ctx, rec.ID); err != nil {
		return err
	}
	d.emit("stop", rec)
	return nil
}

// markStopped records whether a user stopped the container.
func (d *Daemon) markStopped(id string, stopped bool) error {
	unlock := d.lock(id)
	defer unlock()
	rec, err := d.db.get(id)
	if err != nil {
		return err
	}
	rec.UserStopped = stopped
	return d.db.put(rec)
}

// waitExit waits up to timeout for the container to exit and reports
// whether it did.
func (d *Daemon) waitExit(ctx context.Context, id string, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := d.containers.Wait(ctx, id)
	return err == nil || !errors.Is(err, context.DeadlineExceeded)
}

// Kill sends a signal to a running container's init, like `docker
// kill`; sig is a name ("KILL", "SIGTERM") or a number, empty for KILL.
func (d *Daemon) Kill(ctx context.Context, idOrName, sig string) error {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	signal, err := parseSignal(sig)
	if err != nil {
		return err
	}
	if err := d.containers.Signal(rec.ID, signal); err != nil {
		return categorize(fmt.Errorf("kill %s: %w", rec.Name, err))
	}
	return nil
}

// parseSignal reads a signal name or number as `kill -s` does.
func parseSignal(s string) (syscall.Signal, error) {
	if s == "" {
		return unix.SIGKILL, nil
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 65 {
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, invalid(fmt.Errorf("signal %q: want a name such as TERM or KILL, or a number", s))
}

// Remove deletes a container and everything set up for it, like `docker
// rm`. A running container is refused unless force is set; then it is
// killed first.
func (d *Daemon) Remove(ctx context.Context, idOrName string, force bool) error {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	unlock := d.lock(rec.ID)
	defer unlock()
	return d.remove(ctx, rec, force)
}

// remove does the work of Remove; the caller holds the container's lock.
func (d *Daemon) remove(ctx context.Context, rec *record, force bool) error {
	st, err := d.containers.State(rec.ID)
	running := err == nil && (st.Status == container.Running || st.Status == container.Paused)
	if running && !force {
		return conflict(fmt.Errorf("container %s is running: stop it first, or use rm -f",
			rec.Name))
	}

	err = d.containers.Delete(ctx, rec.ID, true)
	if err != nil && !errors.Is(err, container.ErrNotFound) {
		return categorize(fmt.Errorf("remove %s: %w", rec.Name, err))
	}
	if err := d.release(ctx, rec); err != nil {
		return fmt.Errorf("remove %s: %w", rec.Name, err)
	}
	err = d.snapshots.Remove(rec.ID)
	if err != nil && !errors.Is(err, snapshot.ErrNotFound) {
		return fmt.Errorf("remove %s: %w", rec.Name, err)
	}
	if err := os.RemoveAll(d.runtimeDir(rec.ID)); err != nil {
		return fmt.Errorf("remove %s: %w", rec.Name, err)
	}
	if err := d.db.delete(rec); err != nil {
		return err
	}
	d.healths.forget(rec.ID)
	d.forgetCollector(rec.ID)
	d.log.Info("container removed", "id", rec.ID, "name", rec.Name)
	d.emit("destroy", rec)
	return nil
}
