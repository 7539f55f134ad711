// Package deploy is the heart of the PaaS: it turns source into a
// release and a release into running replicas, and it is the only code
// that changes them. It builds (package build), pushes the image to the
// registry (phase 5), records numbered releases (package store), starts
// and stops containers through the runtime daemon (phase 7), and moves
// traffic with the router (phase 4) only once new replicas are healthy.
//
// One change at a time runs per app (a deploy, a config change, a
// scale, a rollback); a second one is refused with ErrConflict rather
// than queued, so a user never waits on something they cannot see.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/build"
	"shibafu.dev/phase8-paas/router"
	"shibafu.dev/phase8-paas/secrets"
	"shibafu.dev/phase8-paas/store"
)

// Defaults of an Engine's zero fields and of a new app.
const (
	DefaultMemory       = "256m"
	DefaultPort         = 8080
	DefaultStopTimeout  = 5 * time.Second
	DefaultDrainTimeout = 10 * time.Second
	DefaultKeepReleases = 5
)

// DefaultHealth is the health check of an app that sets none: GET / must
// answer within 2s, tried every half second for up to 30 tries.
var DefaultHealth = api.HealthCheck{
	Path:     "/",
	Timeout:  api.Duration(2 * time.Second),
	Interval: api.Duration(500 * time.Millisecond),
	Retries:  30,
}

// Engine runs the apps. Set the fields, call Recover once, then use it
// from any goroutine.
type Engine struct {
	Store   *store.Store
	Runtime *rtclient.Client
	Router  *router.Router
	Secrets *secrets.Box
	Builder *build.Builder
	// Registry is the HOST:PORT of the registry images are pushed to.
	Registry string
	// Network is the runtime network every replica joins; apps reach
	// each other there by name.
	Network string
	// WorkDir holds the source of builds under way.
	WorkDir string
	// Memory limits each replica; empty means DefaultMemory.
	Memory string
	// CPUs limits each replica's CPU time, in CPUs; 0 means no limit.
	CPUs float64
	// Notify, if set, is told of releases and scales as they happen,
	// for the app's feed of events (see observe.go).
	Notify func(api.AppEvent)
	// AppLog, if set, returns where a change's log also goes, for the
	// app's log: source is api.SourceBuild or api.SourcePaaS.
	AppLog func(app, source string) io.Writer
	// StopTimeout is the grace period of a replica asked to stop;
	// DrainTimeout how long requests to a replica taken out of the pool
	// may go on before it is stopped. Zero means the defaults.
	StopTimeout  time.Duration
	DrainTimeout time.Duration
	// KeepReleases is how many releases' images are kept; older ones are
	// deleted from the runtime's store. Zero means DefaultKeepReleases.
	KeepReleases int
	// Logger gets the engine's own messages; nil means slog.Default().
	Logger *slog.Logger
	// Certs tells the state of the domains' certificates (package
	// certs); nil means TLS is off. See tls.go.
	Certs Certs

	mu   sync.Mutex
	busy map[string]string // app -> what is under way
}

// begin marks a change of app as under way, or fails with ErrConflict
// naming the change that is. Call the returned function when done.
func (e *Engine) begin(app, what string) (func(), error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.busy == nil {
		e.busy = map[string]string{}
	}
	if cur, ok := e.busy[app]; ok {
		return nil, api.WithCategory(api.ErrConflict,
			fmt.Errorf("app %s: %s is under way; try again when it is done", app, cur))
	}
	e.busy[app] = what
	return func() {
		e.mu.Lock()
		delete(e.busy, app)
		e.mu.Unlock()
	}, nil
}

func (e *Engine) logger() *slog.Logger {
	if e.Logger == nil {
		return slog.Default()
	}
	return e.Logger
}

func (e *Engine) memory() string {
	if e.Memory == "" {
		return DefaultMemory
	}
	return e.Memory
}

func (e *Engine) stopTimeout() int {
	d := e.StopTimeout
	if d == 0 {
		d = DefaultStopTimeout
	}
	return int((d + time.Second - 1) / time.Second)
}

func (e *Engine) drainTimeout() time.Duration {
	if e.DrainTimeout == 0 {
		return DefaultDrainTimeout
	}
	return e.DrainTimeout
}

// CreateApp makes an app with no release yet. Its web process will run
// one replica once deployed.
func (e *Engine) CreateApp(ctx context.Context, req api.CreateAppRequest) (*api.App, error) {
	if err := api.ValidateAppName(req.Name); err != nil {
		return nil, err
	}
	health := DefaultHealth
	if h := req.Health; h != nil {
		if err := mergeHealth(&health, *h); err != nil {
			return nil, err
		}
	}
	app := store.App{Name: req.Name, Created: time.Now().UTC(), Health: health,
		Formation: map[string]int{"web": 1}}
	if err := e.Store.CreateApp(app); err != nil {
		return nil, err
	}
	if err := e.Router.SetApp(app.Name, nil); err != nil {
		return nil, errors.Join(err, e.Store.DeleteApp(app.Name))
	}
	e.logger().Info("created an app", "app", app.Name)
	return e.view(ctx, app, false)
}

// mergeHealth sets the fields of h that are set over base.
func mergeHealth(base *api.HealthCheck, h api.HealthCheck) error {
	if h.Path != "" {
		if h.Path[0] != '/' {
			return api.WithCategory(api.ErrInvalid,
				fmt.Errorf("health check path %q: want one starting with /", h.Path))
		}
		base.Path = h.Path
	}
	if h.Timeout < 0 || h.Interval < 0 || h.Retries < 0 || h.Retries > 600 {
		return api.WithCategory(api.ErrInvalid,
			errors.New("health check: want positive timeout and interval, 0 to 600 retries"))
	}
	if h.Timeout > 0 {
		base.Timeout = h.Timeout
	}
	if h.Interval > 0 {
		base.Interval = h.Interval
	}
	if h.Retries > 0 {
		base.Retries = h.Retries
	}
	return nil
}

// App describes an app; with replicas, also its running containers.
func (e *Engine) App(ctx context.Context, name string, replicas bool) (*api.App, error) {
	app, err := e.Store.App(name)
	if err != nil {
		return nil, err
	}
	return e.view(ctx, app, replicas)
}

// Apps describes every app.
func (e *Engine) Apps(ctx context.Context) ([]api.App, error) {
	apps, err := e.Store.Apps()
	if err != nil {
		return nil, err
	}
	views := make([]api.App, 0, len(apps))
	for _, app := range apps {
		v, err := e.view(ctx, app, false)
		if err != nil {
			return nil, err
		}
		views = append(views, *v)
	}
	return views, nil
}

func (e *Engine) view(ctx context.Context, app store.App, withReplicas bool) (*api.App, error) {
	v := &api.App{Name: app.Name, Created: app.Created, Release: app.Release,
		Formation: app.Formation, Health: app.Health, Domains: app.Domains,
		URL: e.Router.URL(app.Name), TLS: app.TLS}
	if withReplicas {
		rs, err := e.replicas(ctx, app.Name)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			v.Replicas = append(v.Replicas, r.Replica)
		}
	}
	return v, nil
}

// UpdateHealth changes an app's health check, for its next releases.
func (e *Engine) UpdateHealth(ctx context.Context, name string, h api.HealthCheck) (
	*api.App, error) {
	app, err := e.Store.UpdateApp(name, func(app *store.App) error {
		return mergeHealth(&app.Health, h)
	})
	if err != nil {
		return nil, err
	}
	return e.view(ctx, app, false)
}

// DestroyApp stops and removes every replica of an app, stops routing to
// it, deletes its images from the runtime and forgets it.
func (e *Engine) DestroyApp(ctx context.Context, name string, log io.Writer) error {
	done, err := e.begin(name, "destroy")
	if err != nil {
		return err
	}
	defer done()
	if _, err := e.Store.App(name); err != nil {
		return err
	}
	if err := e.Router.RemoveApp(name); err != nil {
		return err
	}
	rs, err := e.replicas(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "Stopping %d replicas of %s\n", len(rs), name)
	if err := e.removeReplicas(ctx, rs); err != nil {
		return err
	}
	rels, err := e.Store.Releases(name)
	if err != nil {
		return err
	}
	e.removeImages(ctx, name, rels)
	if err := e.Store.DeleteApp(name); err != nil {
		return err
	}
	os.RemoveAll(filepath.Join(e.WorkDir, name))
	e.logger().Info("destroyed an app", "app", name)
	return nil
}
