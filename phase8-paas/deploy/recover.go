package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	rtapi "shibafu.dev/phase7-runtime/api"
	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/build"
	"shibafu.dev/phase8-paas/store"
)

// Recover makes the running world match the store after a start of the
// PaaS, which may follow a crash in the middle of a deploy: every app is
// routed again to the web replicas of its serving generation; replicas
// of any other release (a rollout that was cut short) are removed; a
// release left pending is marked failed; and a process type with fewer
// replicas than its formation (after a reboot, say) is brought back up
// to it. Call it once, before serving.
func (e *Engine) Recover(ctx context.Context) error {
	apps, err := e.Store.Apps()
	if err != nil {
		return err
	}
	var errs []error
	for _, a := range apps {
		if err := e.recoverApp(ctx, a); err != nil {
			errs = append(errs, fmt.Errorf("recover %s: %w", a.Name, err))
		}
	}
	return errors.Join(errs...)
}

func (e *Engine) recoverApp(ctx context.Context, a store.App) error {
	if err := e.Router.SetApp(a.Name, a.Domains); err != nil {
		return err
	}
	rels, err := e.Store.Releases(a.Name)
	if err != nil {
		return err
	}
	for _, rel := range rels {
		if rel.Status == api.StatusPending {
			_, err := e.Store.UpdateRelease(a.Name, rel.Number, func(r *api.Release) {
				r.Status, r.Error = api.StatusFailed, "cut short by a restart of the PaaS"
			})
			if err != nil {
				return err
			}
		}
	}
	all, err := e.replicas(ctx, a.Name)
	if err != nil {
		return err
	}
	var stale, serving []replica
	for _, r := range all {
		switch {
		case r.Release != a.Generation || a.Generation == 0:
			stale = append(stale, r)
		case r.State == rtapi.StatusRunning:
			serving = append(serving, r)
		default:
			// An exited replica is replaced below, like a missing one.
			stale = append(stale, r)
		}
	}
	if err := e.removeReplicas(ctx, stale); err != nil {
		return err
	}
	if a.Generation == 0 {
		return nil
	}
	if err := e.Router.SetBackends(a.Name, addrsOf(serving)); err != nil {
		return err
	}
	e.logger().Info("recovered an app", "app", a.Name, "release", a.Release,
		"replicas", len(serving), "removed", len(stale))
	return e.resize(ctx, a, a.Formation, io.Discard)
}

// collect deletes what the app's older deploys left in the runtime: the
// tags of release images older than the last KeepReleases deploys, and
// the build-cache images none of those deploys' builds used. The
// registry keeps every release image, so a rollback to an old release
// pulls its image back.
func (e *Engine) collect(ctx context.Context, app string) {
	keep := e.KeepReleases
	if keep == 0 {
		keep = DefaultKeepReleases
	}
	rels, err := e.Store.Releases(app)
	if err != nil {
		return
	}
	kept := map[int]bool{}
	for _, rel := range rels { // newest first
		if rel.Kind != api.KindDeploy || rel.Image == "" {
			continue
		}
		if len(kept) < keep {
			kept[rel.Number] = true
			continue
		}
		e.removeImage(ctx, fmt.Sprintf("%s/paas/%s:v%d", e.Registry, app, rel.Number))
	}

	inUse := map[string]bool{}
	a, err := e.Store.UpdateApp(app, func(a *store.App) error {
		for n := range a.BuildCache {
			if !kept[n] {
				delete(a.BuildCache, n)
			}
		}
		return nil
	})
	if err != nil {
		return
	}
	for _, refs := range a.BuildCache {
		for _, ref := range refs {
			inUse[ref] = true
		}
	}
	imgs, err := e.Runtime.Images(ctx)
	if err != nil {
		return
	}
	for _, img := range imgs {
		if strings.HasPrefix(img.Ref, build.CachePrefix(app)) && !inUse[img.Ref] {
			e.removeImage(ctx, img.Ref)
		}
	}
}

// removeImage deletes an image's name from the runtime; a failure is
// only logged, since nothing depends on it.
func (e *Engine) removeImage(ctx context.Context, ref string) {
	err := e.Runtime.RemoveImage(ctx, ref)
	if err != nil && !errors.Is(err, rtapi.ErrNotFound) {
		e.logger().Warn("remove an old image", "ref", ref, "err", err)
	}
}

// removeImages deletes the runtime's tags of every release image of an
// app, and its build cache.
func (e *Engine) removeImages(ctx context.Context, app string, rels []api.Release) {
	for _, rel := range rels {
		if rel.Kind != api.KindDeploy {
			continue
		}
		e.removeImage(ctx, fmt.Sprintf("%s/paas/%s:v%d", e.Registry, app, rel.Number))
	}
	if imgs, err := e.Runtime.Images(ctx); err == nil {
		for _, img := range imgs {
			if strings.HasPrefix(img.Ref, build.CachePrefix(app)) {
				e.removeImage(ctx, img.Ref)
			}
		}
	}
}

// Run runs a one-off command in a new container of the serving release,
// with its config, on the apps' network: a migration, a console. Its
// output goes to out as it comes; the container is removed at the end.
// It returns the command's exit code.
func (e *Engine) Run(ctx context.Context, app string, cmd []string, out io.Writer) (
	int, error) {
	if len(cmd) == 0 {
		return 0, api.WithCategory(api.ErrInvalid, errors.New("run: no command given"))
	}
	a, rel, err := e.current(app)
	if err != nil {
		return 0, err
	}
	gen, err := e.Store.Release(app, a.Generation)
	if err != nil {
		return 0, err
	}
	cfg, err := e.Store.Config(app, gen.ConfigVersion)
	if err != nil {
		return 0, err
	}
	env, err := e.environment(app, gen, cfg, "run")
	if err != nil {
		return 0, err
	}
	c, err := e.Runtime.Create(ctx, rtapi.RunRequest{
		Image: rel.Image, Entrypoint: cmd, Env: env, Networks: []string{e.Network},
		Memory: e.memory(), Labels: map[string]string{labelApp + ".run": app},
	})
	if err != nil {
		return 0, fmt.Errorf("run %s: %w", strings.Join(cmd, " "), err)
	}
	defer e.Runtime.Remove(context.WithoutCancel(ctx), c.ID, true)
	if err := e.Runtime.Start(ctx, c.ID); err != nil {
		return 0, err
	}
	if err := e.Runtime.Logs(ctx, c.ID, rtclient.LogOptions{Follow: true, Tail: -1}, out,
		out); err != nil {
		return 0, err
	}
	res, err := e.Runtime.Wait(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	return res.ExitCode, nil
}
