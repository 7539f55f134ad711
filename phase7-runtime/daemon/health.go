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

// healths holds the health of every container with a check: in memory
// for the API, and in the database too, so that a restarted daemon
// shows what the last one found instead of starting from scratch.
type healths struct {
	mu sync.Mutex
	m  map[string]*healthState // by container ID
	db *store
}

// healthState is the health of one run of a container: Run is when the
// run started, so that a new run starts from starting again.
type healthState struct {
	Run    time.Time  `json:"run"`
	Health api.Health `json:"health"`
}

// get returns a copy of a container's health, nil if it has no check.
func (h *healths) get(id string) *api.Health {
	h.mu.Lock()
	defer h.mu.Unlock()
	cur, ok := h.m[id]
	if !ok {
		return nil
	}
	out := cur.Health
	out.Log = append([]api.HealthResult(nil), cur.Health.Log...)
	return &out
}

// load takes the saved health of a container from the database, as the
// daemon starts.
func (h *healths) load(id string) {
	st, err := h.db.health(id)
	if err != nil || st == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.put(id, st)
}

// begin makes ready the health of the run of a container that started
// at run: a daemon that takes back a running container resumes where
// the last one left off; a new run starts from starting.
func (h *healths) begin(id string, run time.Time) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if cur, ok := h.m[id]; ok && cur.Run.Equal(run) {
		return nil
	}
	return h.save(id, &healthState{Run: run, Health: api.Health{Status: api.HealthStarting}})
}

// put sets a container's health in memory; the caller holds h.mu.
func (h *healths) put(id string, st *healthState) {
	if h.m == nil {
		h.m = map[string]*healthState{}
	}
	h.m[id] = st
}

// save sets a container's health in memory and in the database; the
// caller holds h.mu, which keeps the two in the same order.
func (h *healths) save(id string, st *healthState) error {
	h.put(id, st)
	return h.db.putHealth(id, st)
}

func (h *healths) forget(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, id)
}

// record adds the result of a check of the run that started at run and
// returns the old and the new status: a pass makes the container
// healthy, Retries failures in a row unhealthy, and a failure within
// the start period does not count. A result of an older run is dropped.
func (h *healths) record(id string, run time.Time, cfg api.HealthConfig,
	res api.HealthResult, inGrace bool) (old, now string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cur, ok := h.m[id]
	if !ok || !cur.Run.Equal(run) {
		return "", "", nil // forgotten, or a new run, meanwhile
	}
	next := &healthState{Run: run, Health: cur.Health}
	v := &next.Health
	old = v.Status
	v.Log = append(append([]api.HealthResult(nil), v.Log...), res)
	if len(v.Log) > healthLogSize {
		v.Log = v.Log[len(v.Log)-healthLogSize:]
	}
	switch {
	case res.ExitCode == 0:
		v.Status, v.FailingStreak = api.HealthHealthy, 0
	case inGrace && v.Status == api.HealthStarting:
	default:
		v.FailingStreak++
		if v.FailingStreak >= cfg.Retries {
			v.Status = api.HealthUnhealthy
		}
	}
	return old, v.Status, h.save(id, next)
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
	if err := d.healths.begin(id, rec.Started); err != nil {
		d.log.Warn("cannot save a container's health", "id", id, "err", err)
	}

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
			inGrace := time.Since(rec.Started) < cfg.StartPeriod
			old, now, err := d.healths.record(id, rec.Started, cfg, res, inGrace)
			if err != nil {
				d.log.Warn("cannot save a container's health", "id", id, "err", err)
			}
			if old != now {
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
