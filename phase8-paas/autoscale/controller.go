// Package autoscale is the PaaS's autoscaler: a control loop that
// compares, every Interval, each autoscaled process type's metric (CPU
// in percent of the limit, requests per second per replica, or the 95th
// percentile of the latency; see package metrics) with its target, and
// adds or removes one replica at a time through the engine's ScaleNow,
// which health-checks new web replicas before the router sends them
// traffic and drains leaving ones. Decide holds the rule; Controller
// runs it and records every step it takes as an app event, with why.
package autoscale

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
	"shibafu.dev/phase8-paas/metrics"
	"shibafu.dev/phase8-paas/store"
)

// DefaultInterval is how often the loop looks at the metrics.
const DefaultInterval = 10 * time.Second

// Controller runs the autoscalers of every app. Set the fields, then
// Run; Get and Set are safe to call at any time.
type Controller struct {
	Engine  *deploy.Engine
	Metrics *metrics.Collector
	// Notify, if set, is told of every decision, as an app event.
	Notify func(api.AppEvent)
	// Interval is how often the loop runs; 0 means DefaultInterval.
	Interval time.Duration
	// Logger gets what goes wrong; nil means slog.Default().
	Logger *slog.Logger

	mu      sync.Mutex
	started time.Time
	changed map[string]time.Time // "APP/PROCESS" -> its last change
}

func (c *Controller) interval() time.Duration {
	if c.Interval <= 0 {
		return DefaultInterval
	}
	return c.Interval
}

// Get returns an app's autoscalers, by process type.
func (c *Controller) Get(app string) ([]api.Autoscale, error) {
	a, err := c.Engine.Store.App(app)
	if err != nil {
		return nil, err
	}
	out := []api.Autoscale{}
	for _, p := range slices.Sorted(maps.Keys(a.Autoscale)) {
		out = append(out, a.Autoscale[p])
	}
	return out, nil
}

// Set sets (or, with Max 0, removes) the autoscaler of a process type
// and returns it with its defaults filled in.
func (c *Controller) Set(app string, as api.Autoscale) (api.Autoscale, error) {
	if err := api.ValidateAutoscale(&as); err != nil {
		return as, err
	}
	_, err := c.Engine.Store.UpdateApp(app, func(a *store.App) error {
		if _, ok := a.Formation[as.Process]; !ok {
			return api.WithCategory(api.ErrInvalid,
				fmt.Errorf("app %s has no process type %q", app, as.Process))
		}
		if a.Autoscale == nil {
			a.Autoscale = map[string]api.Autoscale{}
		}
		if as.Max == 0 {
			delete(a.Autoscale, as.Process)
		} else {
			a.Autoscale[as.Process] = as
		}
		return nil
	})
	if err != nil {
		return as, err
	}
	msg := fmt.Sprintf("autoscaler of %s turned off", as.Process)
	if as.Max > 0 {
		msg = fmt.Sprintf("autoscaler of %s set: %d to %d replicas, %s target %s over %s",
			as.Process, as.Min, as.Max, as.Metric, unit(as.Metric, as.Target),
			time.Duration(as.Window))
	}
	c.notify(app, msg)
	return as, nil
}

// Changed tells the controller that an app's replicas changed by other
// means (a deploy, a manual scale), so its cooldowns start again.
func (c *Controller) Changed(app string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed == nil {
		c.changed = map[string]time.Time{}
	}
	c.changed[app+"/"] = time.Now()
}

// lastChange is when an app's process type last changed; before the
// first change seen, the controller's start, so that a restart of the
// PaaS does not find every cooldown over.
func (c *Controller) lastChange(app, process string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := c.started
	for _, key := range []string{app + "/" + process, app + "/"} {
		if t, ok := c.changed[key]; ok && t.After(last) {
			last = t
		}
	}
	return last
}

func (c *Controller) setChanged(app, process string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed == nil {
		c.changed = map[string]time.Time{}
	}
	c.changed[app+"/"+process] = t
}

// Run runs the loop until ctx ends.
func (c *Controller) Run(ctx context.Context) {
	c.mu.Lock()
	c.started = time.Now()
	c.mu.Unlock()
	t := time.NewTicker(c.interval())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Tick(ctx)
		}
	}
}

// Tick looks once at every autoscaled process type and takes the steps
// Decide asks for.
func (c *Controller) Tick(ctx context.Context) {
	apps, err := c.Engine.Store.Apps()
	if err != nil {
		c.logger().Warn("autoscale: list the apps", "err", err)
		return
	}
	for _, a := range apps {
		if a.Release == 0 {
			continue
		}
		for _, p := range slices.Sorted(maps.Keys(a.Autoscale)) {
			c.step(ctx, a, a.Autoscale[p])
		}
	}
}

// step decides on one process type and scales it if need be.
func (c *Controller) step(ctx context.Context, a store.App, rule api.Autoscale) {
	window := time.Duration(rule.Window) + 2*c.interval()
	d := Decide(Input{Rule: rule, Current: a.Formation[rule.Process],
		Points: c.Metrics.Window(a.Name, window), Interval: c.Metrics.Resolution(),
		LastChange: c.lastChange(a.Name, rule.Process), Now: time.Now()})
	if d.Want == a.Formation[rule.Process] {
		return
	}
	var log io.Writer = io.Discard
	if c.Engine.AppLog != nil {
		log = c.Engine.AppLog(a.Name, api.SourcePaaS)
	}
	fmt.Fprintf(log, "Autoscaling %s to %d: %s\n", rule.Process, d.Want, d.Reason)
	err := c.Engine.ScaleNow(ctx, a.Name, rule.Process, d.Want, log)
	switch {
	case errors.Is(err, api.ErrConflict):
		return // a deploy or a scale is under way: look again next time
	case err != nil:
		c.notify(a.Name, fmt.Sprintf("scaling %s to %d failed: %v", rule.Process, d.Want, err))
	default:
		c.notify(a.Name, fmt.Sprintf("scaled %s to %d: %s", rule.Process, d.Want, d.Reason))
	}
	c.setChanged(a.Name, rule.Process, time.Now())
}

func (c *Controller) notify(app, msg string) {
	if c.Notify != nil {
		c.Notify(api.AppEvent{Time: time.Now().UTC(), App: app, Kind: api.EventAutoscale,
			Message: msg})
	}
}

func (c *Controller) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.Default()
	}
	return c.Logger
}
