package logs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"shibafu.dev/phase4-ports/proxy"
	rtapi "shibafu.dev/phase7-runtime/api"
	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
)

// DefaultPoll is how often a Collector lists the replicas again, to
// catch what the runtime's events did not tell it.
const DefaultPoll = 2 * time.Second

// Collector follows the output of every replica of every app into a
// Store. It learns of new replicas from the runtime's events (GET
// /v1/events, the `shibafu events` stream) as they start, and lists
// them every Poll besides. Set the fields, then Run.
type Collector struct {
	Store   *Store
	Runtime *rtclient.Client
	// Replicas lists the replicas of every app: Engine.AllReplicas.
	Replicas func(context.Context) ([]deploy.Running, error)
	// Replica, if set, describes one container, and reports whether it
	// is a replica: Engine.ReplicaByID. With it, a replica that starts
	// is followed at once, without a look at every replica.
	Replica func(ctx context.Context, id string) (deploy.Running, bool, error)
	// OnEvent, if set, is told of each runtime event about a replica.
	OnEvent func(rtapi.Event, deploy.Running)
	// Poll is how often the replicas are listed; 0 means DefaultPoll.
	Poll time.Duration
	// Logger gets what goes wrong; nil means slog.Default().
	Logger *slog.Logger

	mu        sync.Mutex
	started   time.Time
	known     map[string]deploy.Running // by container ID
	following map[string]bool
	last      map[string]time.Time // the time of the last line read
}

// Run follows the replicas' output until ctx ends.
func (c *Collector) Run(ctx context.Context) {
	c.mu.Lock()
	c.started = time.Now()
	c.known = map[string]deploy.Running{}
	c.following = map[string]bool{}
	c.last = map[string]time.Time{}
	c.mu.Unlock()
	poll := c.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	wake := make(chan struct{}, 1)
	go c.watch(ctx, wake)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		c.sync(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// watch reads the runtime's events, waking the collector when a
// container starts, until ctx ends; it reconnects if the stream breaks.
func (c *Collector) watch(ctx context.Context, wake chan<- struct{}) {
	for ctx.Err() == nil {
		err := c.Runtime.Events(ctx, func(ev rtapi.Event) {
			if ev.Action == "start" || ev.Action == "restart" {
				c.join(ctx, ev.ID, wake)
			}
			c.mu.Lock()
			r, ok := c.known[ev.ID]
			c.mu.Unlock()
			if ok && c.OnEvent != nil {
				c.OnEvent(ev, r)
			}
		})
		if err != nil && ctx.Err() == nil {
			c.logger().Warn("follow the runtime's events", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// join starts following a container that started, if it is a replica;
// without Replica, it wakes the collector to look at them all.
func (c *Collector) join(ctx context.Context, id string, wake chan<- struct{}) {
	if c.Replica == nil {
		select {
		case wake <- struct{}{}:
		default:
		}
		return
	}
	r, ok, err := c.Replica(ctx, id)
	if err != nil || !ok || r.State != rtapi.StatusRunning {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.known[r.ID] = r
	if !c.following[r.ID] {
		c.following[r.ID] = true
		go c.follow(ctx, r, c.since(r))
	}
}

// sync starts following every running replica not yet followed.
func (c *Collector) sync(ctx context.Context) {
	rs, err := c.Replicas(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.logger().Warn("list the replicas", "err", err)
		}
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range rs {
		seen[r.ID] = true
		c.known[r.ID] = r
		if r.State == rtapi.StatusRunning && !c.following[r.ID] {
			c.following[r.ID] = true
			go c.follow(ctx, r, c.since(r))
		}
	}
	for id := range c.known {
		if !seen[id] && !c.following[id] {
			delete(c.known, id)
			delete(c.last, id)
		}
	}
}

// ReplicaAt returns the web replica at addr (IP:PORT), as the last
// look at the replicas saw it.
func (c *Collector) ReplicaAt(addr string) (deploy.Running, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.known {
		if r.Addr == addr && addr != "" && r.State == rtapi.StatusRunning {
			return r, true
		}
	}
	return deploy.Running{}, false
}

// since is where following a replica starts: after the last line read
// of it, or from its start if it started after the collector, or else
// from the collector's start (what a replica printed while no PaaS ran
// is not collected). Callers hold c.mu.
func (c *Collector) since(r deploy.Running) time.Time {
	if last, ok := c.last[r.ID]; ok {
		return last.Add(time.Nanosecond)
	}
	if r.Started.After(c.started) {
		return r.Started
	}
	return c.started
}

// follow copies a replica's output into the store until it stops
// running (a crash, a stop) or ctx ends.
func (c *Collector) follow(ctx context.Context, r deploy.Running, since time.Time) {
	defer func() {
		c.mu.Lock()
		c.following[r.ID] = false
		c.mu.Unlock()
	}()
	out := func(stream string) *lineWriter {
		return &lineWriter{emit: func(text string) {
			t, line := splitStamp(text)
			c.mu.Lock()
			c.last[r.ID] = t
			c.mu.Unlock()
			c.Store.Append(api.LogLine{Time: t, App: r.App, Source: api.SourceApp,
				Process: r.Process, Replica: r.Name, Stream: stream, Line: line})
		}}
	}
	opts := rtclient.LogOptions{Follow: true, Tail: -1, Since: since, Timestamps: true}
	err := c.Runtime.Logs(ctx, r.ID, opts, out(rtapi.Stdout), out(rtapi.Stderr))
	if err != nil && ctx.Err() == nil {
		c.logger().Debug("follow a replica's output", "replica", r.Name, "err", err)
	}
}

// splitStamp splits a line of `logs --timestamps` into its time and
// text; a line without a time is stamped now.
func splitStamp(s string) (time.Time, string) {
	stamp, line, ok := strings.Cut(s, " ")
	if ok {
		if t, err := time.Parse(time.RFC3339Nano, stamp); err == nil {
			return t, line
		}
	}
	return time.Now(), s
}

func (c *Collector) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.Default()
	}
	return c.Logger
}

// AccessLine is the app's log line of a request the router served:
// replica and process name the replica that answered, if known.
func AccessLine(a proxy.Access, app, replica, process string) api.LogLine {
	line := fmt.Sprintf("%s %s %d %s %dB host=%s", a.Method, a.Path, a.Status,
		a.Duration.Round(10*time.Microsecond), a.Bytes, a.Host)
	if a.Backend != "" {
		line += " backend=" + a.Backend
	}
	if a.Err != nil {
		line += fmt.Sprintf(" error=%q", a.Err.Error())
	}
	return api.LogLine{Time: time.Now(), App: app, Source: api.SourceRouter,
		Process: process, Replica: replica, Line: line}
}
