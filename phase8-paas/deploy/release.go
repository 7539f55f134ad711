package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/build"
	"shibafu.dev/phase8-paas/store"
)

// Source is what a deploy builds: a directory holding the source, and
// where it came from.
type Source struct {
	Dir string
	// Commit is the git commit it was checked out from, if any.
	Commit string
	// User names who deployed it.
	User string
}

// Deploy builds src into an image, pushes it to the registry, records a
// release and rolls it out. The build log and the rollout's progress go
// to log. A release is recorded from the start, so a failed build shows
// in the history as a failed release; the release that served before
// serves on.
func (e *Engine) Deploy(ctx context.Context, app string, src Source, log io.Writer) (
	api.Release, error) {
	done, err := e.begin(app, "a deploy")
	if err != nil {
		return api.Release{}, err
	}
	defer done()
	a, err := e.Store.App(app)
	if err != nil {
		return api.Release{}, err
	}
	desc := "Deploy of an upload"
	if src.Commit != "" {
		desc = "Deploy of " + shortCommit(src.Commit)
	}
	rel, err := e.Store.NewRelease(app, api.Release{Kind: api.KindDeploy, Description: desc,
		ConfigVersion: a.ConfigVersion, Commit: src.Commit, User: src.User,
		Created: time.Now().UTC(), Status: api.StatusPending}, nil)
	if err != nil {
		return api.Release{}, err
	}
	log = e.teeLog(app, api.SourceBuild, log)
	e.notify(app, api.EventRelease, rel.Number, "v%d started: %s", rel.Number, desc)
	fmt.Fprintf(log, "Building %s v%d\n", app, rel.Number)

	rel, err = e.buildAndPush(ctx, a, rel, src.Dir, log)
	if err == nil {
		err = e.rollout(ctx, rel, a.Health, log)
	}
	return e.finish(ctx, rel, err, log)
}

// buildAndPush builds the release's image, pushes it to the registry
// and records in the release the image by digest, its processes and its
// port, and the formation it will run.
func (e *Engine) buildAndPush(ctx context.Context, a store.App, rel api.Release, dir string,
	log io.Writer) (api.Release, error) {
	tag := fmt.Sprintf("%s/paas/%s:v%d", e.Registry, a.Name, rel.Number)
	res, err := e.Builder.Build(ctx, build.Request{App: a.Name, Dir: dir, Tag: tag, Log: log})
	if err != nil {
		return rel, fmt.Errorf("build: %w", err)
	}
	fmt.Fprintf(log, "Built %s (%s)\nPushing it to the registry %s\n", tag, res.Kind,
		e.Registry)
	img, err := e.Runtime.Push(ctx, tag, nil)
	if err != nil {
		return rel, fmt.Errorf("push %s: %w", tag, err)
	}

	formation := map[string]int{}
	for process := range res.Processes {
		n, ok := a.Formation[process]
		if !ok {
			n = 1 // a new process type runs one replica until scaled
		}
		formation[process] = n
	}
	if len(formation) == 0 {
		return rel, errors.New("build: the image has no command to run (no CMD, no Procfile)")
	}
	port := res.Port
	if port == 0 {
		port = DefaultPort
	}
	if _, err := e.Store.UpdateApp(a.Name, func(app *store.App) error {
		if app.BuildCache == nil {
			app.BuildCache = map[int][]string{}
		}
		app.BuildCache[rel.Number] = res.CacheRefs
		return nil
	}); err != nil {
		return rel, err
	}
	return e.Store.UpdateRelease(a.Name, rel.Number, func(r *api.Release) {
		r.Image = fmt.Sprintf("%s/paas/%s@%s", e.Registry, a.Name, img.Digest)
		r.Digest = img.Digest
		r.Processes = res.Processes
		r.Port = port
		r.Formation = formation
	})
}

// finish records how a release went and reports it to log.
func (e *Engine) finish(ctx context.Context, rel api.Release, err error, log io.Writer) (
	api.Release, error) {
	if err != nil {
		fmt.Fprintf(log, "v%d failed: %v\n", rel.Number, err)
		rel, uerr := e.Store.UpdateRelease(rel.App, rel.Number, func(r *api.Release) {
			r.Status, r.Error = api.StatusFailed, err.Error()
		})
		e.logger().Info("a release failed", "app", rel.App, "release", rel.Number, "err", err)
		e.notifyEnd(rel, err)
		return rel, errors.Join(err, uerr)
	}
	rel, err = e.Store.Release(rel.App, rel.Number)
	if err != nil {
		return rel, err
	}
	e.logger().Info("a release serves", "app", rel.App, "release", rel.Number,
		"kind", rel.Kind)
	e.notifyEnd(rel, nil)
	fmt.Fprintf(log, "v%d of %s is live at %s\n", rel.Number, rel.App,
		e.Router.URL(rel.App))
	if rel.Kind == api.KindDeploy {
		e.collect(ctx, rel.App)
	}
	return rel, nil
}

// redeploy records a release like the serving one, changed by change,
// and rolls it out: config and secret changes, rollbacks and restarts.
func (e *Engine) redeploy(ctx context.Context, app string, base api.Release,
	change func(*api.Release), log io.Writer) (api.Release, error) {
	a, err := e.Store.App(app)
	if err != nil {
		return api.Release{}, err
	}
	rel := base
	rel.Formation = maps.Clone(a.Formation)
	rel.Commit, rel.Error = base.Commit, ""
	rel.Created, rel.Status = time.Now().UTC(), api.StatusPending
	change(&rel)
	for process := range rel.Formation {
		if _, ok := rel.Processes[process]; !ok {
			delete(rel.Formation, process)
		}
	}
	rel, err = e.Store.NewRelease(app, rel, nil)
	if err != nil {
		return rel, err
	}
	log = e.teeLog(app, api.SourcePaaS, log)
	e.notify(app, api.EventRelease, rel.Number, "v%d started: %s", rel.Number,
		rel.Description)
	fmt.Fprintf(log, "%s: v%d\n", rel.Description, rel.Number)
	return e.finish(ctx, rel, e.rollout(ctx, rel, a.Health, log), log)
}

// current returns the release that serves, or an error saying the app
// has none yet.
func (e *Engine) current(app string) (store.App, api.Release, error) {
	a, err := e.Store.App(app)
	if err != nil {
		return a, api.Release{}, err
	}
	if a.Release == 0 {
		return a, api.Release{}, api.WithCategory(api.ErrConflict,
			fmt.Errorf("app %s has no release yet: deploy it first", app))
	}
	rel, err := e.Store.Release(app, a.Release)
	return a, rel, err
}

// SetConfig sets and unsets config vars, or secrets, and rolls out a
// release that runs with them. Before the first deploy it only records
// them. The release's description names the variables, never a value.
func (e *Engine) SetConfig(ctx context.Context, app string, change api.ConfigChange,
	secret bool, user string, log io.Writer) (*api.Release, error) {
	if err := api.ValidateConfigChange(change); err != nil {
		return nil, err
	}
	done, err := e.begin(app, "a config change")
	if err != nil {
		return nil, err
	}
	defer done()
	a, err := e.Store.App(app)
	if err != nil {
		return nil, err
	}
	cfg, err := e.Store.Config(app, a.ConfigVersion)
	if err != nil {
		return nil, err
	}
	var set, unset []string
	for _, name := range slices.Sorted(maps.Keys(change)) {
		value := change[name]
		switch {
		case value == nil:
			delete(cfg.Vars, name)
			delete(cfg.Secrets, name)
			unset = append(unset, name)
		case secret:
			delete(cfg.Vars, name)
			cfg.Secrets[name] = e.Secrets.Seal([]byte(*value), secretContext(app, name))
			set = append(set, name)
		default:
			delete(cfg.Secrets, name)
			cfg.Vars[name] = *value
			set = append(set, name)
		}
	}
	version, err := e.Store.NewConfig(app, cfg)
	if err != nil {
		return nil, err
	}
	kind, what := api.KindConfig, "config"
	if secret {
		kind, what = api.KindSecrets, "secrets"
	}
	var words []string
	if len(set) > 0 {
		words = append(words, "Set "+strings.Join(set, ", "))
	}
	if len(unset) > 0 {
		words = append(words, "Unset "+strings.Join(unset, ", "))
	}
	desc := strings.Join(words, "; ") + " (" + what + ")"
	if a.Release == 0 {
		fmt.Fprintf(log, "%s; the first deploy will use it\n", desc)
		return nil, nil
	}
	_, base, err := e.current(app)
	if err != nil {
		return nil, err
	}
	rel, err := e.redeploy(ctx, app, base, func(r *api.Release) {
		r.Kind, r.Description, r.ConfigVersion, r.User = kind, desc, version, user
	}, log)
	return &rel, err
}

// Rollback rolls out again the image and config of release n, or of
// the last good release before the serving one if n is 0 (scales left
// aside: they change no image or config), as a new release.
func (e *Engine) Rollback(ctx context.Context, app string, n int, user string,
	log io.Writer) (api.Release, error) {
	done, err := e.begin(app, "a rollback")
	if err != nil {
		return api.Release{}, err
	}
	defer done()
	a, _, err := e.current(app)
	if err != nil {
		return api.Release{}, err
	}
	target, err := e.rollbackTarget(a, n)
	if err != nil {
		return api.Release{}, err
	}
	return e.redeploy(ctx, app, target, func(r *api.Release) {
		r.Kind, r.User = api.KindRollback, user
		r.Description = fmt.Sprintf("Rollback to v%d", target.Number)
	}, log)
}

// rollbackTarget finds the release a rollback goes back to.
func (e *Engine) rollbackTarget(a store.App, n int) (api.Release, error) {
	if n != 0 {
		rel, err := e.Store.Release(a.Name, n)
		if err != nil {
			return rel, err
		}
		if rel.Image == "" {
			return rel, api.WithCategory(api.ErrConflict,
				fmt.Errorf("v%d of %s has no image to go back to (its build failed)", n, a.Name))
		}
		return rel, nil
	}
	rels, err := e.Store.Releases(a.Name)
	if err != nil {
		return api.Release{}, err
	}
	for _, rel := range rels { // newest first
		if rel.Number < a.Release && rel.Status == api.StatusSucceeded &&
			rel.Kind != api.KindScale {
			return rel, nil
		}
	}
	return api.Release{}, api.WithCategory(api.ErrConflict,
		fmt.Errorf("app %s has no earlier release to roll back to", a.Name))
}

// Restart rolls out the serving release again, as a new release: new
// replicas replace the old ones, with no downtime.
func (e *Engine) Restart(ctx context.Context, app, user string, log io.Writer) (
	api.Release, error) {
	done, err := e.begin(app, "a restart")
	if err != nil {
		return api.Release{}, err
	}
	defer done()
	_, base, err := e.current(app)
	if err != nil {
		return api.Release{}, err
	}
	return e.redeploy(ctx, app, base, func(r *api.Release) {
		r.Kind, r.User, r.Description = api.KindRestart, user, "Restart"
	}, log)
}

func shortCommit(c string) string {
	if len(c) > 7 {
		return c[:7]
	}
	return c
}
