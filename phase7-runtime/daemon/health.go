package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"shibafu.dev/phase1-libcontainer/container"

	"shibafu.dev/phase7-runtime/api"
)

// Defaults of a health check, docker's.
const (
	defaultHealthInterval = 30 * time.Second
	defaultHealthTimeout  = 30 * time.Second
	defaultHealthRetries  = 3
	// healthLogSize is how many results Health.Log keeps.
	healthLogSize = 5
	// healthOutputSize bounds the output kept of one check.
	healthOutputSize = 4096
)

// checkHealthConfig validates a run request's health check.
func checkHealthConfig(h *api.HealthConfig) error {
	if h == nil {
		return nil
	}
	if h.Cmd == "" {
		return errors.New("--health-cmd: no command given")
	}
	if h.Interval < 0 || h.Timeout < 0 || h.StartPeriod < 0 || h.Retries < 0 {
		return errors.New("--health-*: durations and retries cannot be negative")
	}
	return nil
}

// healths holds the health of every container with a check. It lives
// in memory only: a restarted daemon starts every check from starting.
type healths struct {
	mu sync.Mutex
	m  map[string]*api.Health // by container ID
}

// get returns a copy of a container's health, nil if it has no check.
func (h *healths) get(id string) *api.Health {
	h.mu.Lock()
	defer h.mu.Unlock()
	cur, ok := h.m[id]
	if !ok {
		return nil
	}
	out := *cur
	out.Log = append([]api.HealthResult(nil), cur.Log...)
	return &out
}

func (h *healths) set(id string, v *api.Health) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]*api.Health{}
	}
	h.m[id] = v
}

func (h *healths) forget(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, id)
}

// record adds a check's result and returns the new status: a pass makes
// the container healthy, Retries failures in a row unhealthy, and a
// failure within the start period does not count.
func (h *healths) record(id string, cfg api.HealthConfig, res api.HealthResult,
	inGrace bool) (old, now string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cur, ok := h.m[id]
	if !ok {
		return "", "" // forgotten meanwhile
	}
	old = cur.Status
	cur.Log = append(cur.Log, res)
	if len(cur.Log) > healthLogSize {
		cur.Log = cur.Log[len(cur.Log)-healthLogSize:]
	}
	switch {
	case res.ExitCode == 0:
		cur.Status, cur.FailingStreak = api.HealthHealthy, 0
	case inGrace && cur.Status == api.HealthStarting:
	default:
		cur.FailingStreak++
		if cur.FailingStreak >= cfg.Retries {
			cur.Status = api.HealthUnhealthy
		}
	}
	return old, cur.Status
}

// startHealth runs the health check of a container that has just
// started, every interval, until ctx ends (the container exited or the
// daemon closes). It does nothing for a container without a check.
func (d *Daemon) startHealth(ctx context.Context, id string) {
	rec, err := d.db.get(id)
	if err != nil || rec.Config.Health == nil {
		return
	}
	cfg := *rec.Config.Health
	if cfg.Interval == 0 {
		cfg.Interval = defaultHealthInterval
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = defaultHealthTimeout
	}
	if cfg.Retries == 0 {
		cfg.Retries = defaultHealthRetries
	}
	d.healths.set(id, &api.Health{Status: api.HealthStarting})
	started := time.Now()

	d.watchers.Add(1)
	go func() {
		defer d.watchers.Done()
		t := time.NewTicker(cfg.Interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			res := d.probe(ctx, id, cfg)
			if ctx.Err() != nil {
				return // the container exited under the check
			}
			inGrace := time.Since(started) < cfg.StartPeriod
			if old, now := d.healths.record(id, cfg, res, inGrace); old != now {
				d.log.Info("health status changed", "id", id, "name", rec.Name, "health", now)
				d.emit("health_status", rec, "health", now)
			}
		}
	}()
}

// probe runs the check once in the container, through phase 1's exec.
func (d *Daemon) probe(ctx context.Context, id string, cfg api.HealthConfig) api.HealthResult {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	res := api.HealthResult{Start: time.Now()}
	out := &limitedBuffer{max: healthOutputSize}
	exit, err := d.containers.Exec(ctx, id,
		container.ExecOptions{Args: []string{"sh", "-c", cfg.Cmd}},
		container.Stdio{Stdout: out, Stderr: out})
	res.End, res.ExitCode, res.Output = time.Now(), exit.Code, out.String()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		res.ExitCode, res.Output = -1, fmt.Sprintf("health check timed out after %s", cfg.Timeout)
	case err != nil:
		res.ExitCode, res.Output = -1, err.Error()
	}
	return res
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so that a chatty check cannot fill the daemon's memory.
type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
