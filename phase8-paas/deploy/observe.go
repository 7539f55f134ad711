package deploy

import (
	"context"
	"fmt"
	"io"
	"time"

	rtapi "shibafu.dev/phase7-runtime/api"

	"shibafu.dev/phase8-paas/api"
)

// Running is a replica as the PaaS's observers see it: which app and
// process type it belongs to, and how to reach it in the runtime and
// through the router.
type Running struct {
	api.Replica
	App string
	// ID is the runtime's container ID.
	ID string
	// Addr is IP:PORT for a web replica, as the router's pool has it.
	Addr string
	// Restarts counts the restarts done by its restart policy.
	Restarts int
}

// AllReplicas lists the replicas of every app, running or not, in one
// call to the runtime (the labels say whose each one is).
func (e *Engine) AllReplicas(ctx context.Context) ([]Running, error) {
	cs, err := e.Runtime.List(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("list replicas: %w", err)
	}
	var rs []Running
	for _, c := range cs {
		if r, ok := e.running(c); ok {
			rs = append(rs, r)
		}
	}
	return rs, nil
}

// ReplicaByID describes one container, and reports whether it is a
// replica of an app: a quicker look than AllReplicas when the runtime
// tells of a container that started.
func (e *Engine) ReplicaByID(ctx context.Context, id string) (Running, bool, error) {
	c, err := e.Runtime.Inspect(ctx, id)
	if err != nil {
		return Running{}, false, fmt.Errorf("inspect %s: %w", id, err)
	}
	r, ok := e.running(*c)
	return r, ok, nil
}

func (e *Engine) running(c rtapi.Container) (Running, bool) {
	app := c.Config.Labels[labelApp]
	if app == "" {
		return Running{}, false
	}
	r := e.replicaOf(c)
	return Running{Replica: r.Replica, App: app, ID: r.ID, Addr: r.Addr,
		Restarts: c.RestartCount}, true
}

// notify tells Notify of an event of app, if it is set.
func (e *Engine) notify(app, kind string, release int, format string, args ...any) {
	if e.Notify == nil {
		return
	}
	e.Notify(api.AppEvent{Time: time.Now().UTC(), App: app, Kind: kind, Release: release,
		Message: fmt.Sprintf(format, args...)})
}

// notifyEnd tells Notify how a release ended.
func (e *Engine) notifyEnd(rel api.Release, err error) {
	kind := api.EventRelease
	if rel.Kind == api.KindScale {
		kind = api.EventScale
	}
	if err != nil {
		e.notify(rel.App, kind, rel.Number, "v%d failed: %v", rel.Number, err)
		return
	}
	e.notify(rel.App, kind, rel.Number, "v%d serves: %s", rel.Number, rel.Description)
}

// teeLog returns a writer to log and to the app's log (AppLog), so that
// a change's progress outlives the request that watched it.
func (e *Engine) teeLog(app, source string, log io.Writer) io.Writer {
	if e.AppLog == nil {
		return log
	}
	return io.MultiWriter(log, e.AppLog(app, source))
}
