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

// collect deletes the runtime's tags of the app's release images older
// than the last KeepReleases releases that have one; the registry keeps
// them, so a rollback to an old release pulls its image back.
func (e *Engine) collect(ctx context.Context, app string) {
	keep := e.KeepReleases
	if keep == 0 {
		keep = DefaultKeepReleases
	}
	rels, err := e.Store.Releases(app)
	if err != nil {
		return
	}
	kept := 0
	for _, rel := range rels { // newest first
		if rel.Kind != api.KindDeploy || rel.Image == "" {
			continue
		}
		if kept++; kept <= keep {
			continue
		}
		tag := fmt.Sprintf("%s/paas/%s:v%d", e.Registry, app, rel.Number)
		if err := e.Runtime.RemoveImage(ctx, tag); err != nil &&
			!errors.Is(err, rtapi.ErrNotFound) {
			e.logger().Warn("remove an old image", "tag", tag, "err", err)
		}
	}
}

// removeImages deletes the runtime's tags of every release image of an
// app.
func (e *Engine) removeImages(ctx context.Context, app string, rels []api.Release) {
	for _, rel := range rels {
		if rel.Kind != api.KindDeploy {
			continue
		}
		tag := fmt.Sprintf("%s/paas/%s:v%d", e.Registry, app, rel.Number)
		if err := e.Runtime.RemoveImage(ctx, tag); err != nil &&
			!errors.Is(err, rtapi.ErrNotFound) {
			e.logger().Warn("remove an image", "tag", tag, "err", err)
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
