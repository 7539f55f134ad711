package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/store"
)

// Scale changes how many replicas of each process type named in req
// run, records it as a release, and starts or stops replicas of the
// serving release to match: new web replicas join the router's pool only
// once healthy, and leaving ones are taken out of it and drained before
// they stop. Before the first deploy it only records the formation.
func (e *Engine) Scale(ctx context.Context, app string, req api.ScaleRequest, user string,
	log io.Writer) (*api.Release, error) {
	if err := api.ValidateScale(req); err != nil {
		return nil, err
	}
	done, err := e.begin(app, "a scale")
	if err != nil {
		return nil, err
	}
	defer done()
	a, err := e.Store.App(app)
	if err != nil {
		return nil, err
	}
	if a.Release == 0 {
		_, err := e.Store.UpdateApp(app, func(a *store.App) error {
			maps.Copy(a.Formation, req)
			return nil
		})
		fmt.Fprintf(log, "Scaled %s; the first deploy will run it\n", scaleWords(req))
		return nil, err
	}
	base, err := e.Store.Release(app, a.Release)
	if err != nil {
		return nil, err
	}
	for process := range req {
		if _, ok := base.Processes[process]; !ok {
			return nil, api.WithCategory(api.ErrInvalid,
				fmt.Errorf("app %s has no process type %q (it has %s)", app, process,
					strings.Join(slices.Sorted(maps.Keys(base.Processes)), ", ")))
		}
	}

	rel := base
	rel.Kind, rel.User, rel.Description = api.KindScale, user, "Scale "+scaleWords(req)
	rel.Created, rel.Status, rel.Error = time.Now().UTC(), api.StatusPending, ""
	rel.Formation = maps.Clone(base.Formation)
	maps.Copy(rel.Formation, req)
	rel, err = e.Store.NewRelease(app, rel, func(a *store.App) error {
		maps.Copy(a.Formation, req)
		return nil
	})
	if err != nil {
		return nil, err
	}
	log = e.teeLog(app, api.SourcePaaS, log)
	fmt.Fprintf(log, "%s: v%d\n", rel.Description, rel.Number)
	err = e.resize(ctx, a, rel.Formation, log)
	if err == nil {
		_, err = e.Store.UpdateRelease(app, rel.Number, func(r *api.Release) {
			r.Status = api.StatusSucceeded
		})
	}
	rel, err = e.finish(ctx, rel, err, log)
	return &rel, err
}

// ScaleNow changes the number of replicas of one process type without
// recording a release: the autoscaler's step. It fails with ErrConflict
// if another change of the app is under way.
func (e *Engine) ScaleNow(ctx context.Context, app, process string, n int,
	log io.Writer) error {
	done, err := e.begin(app, "a scale")
	if err != nil {
		return err
	}
	defer done()
	a, err := e.Store.UpdateApp(app, func(a *store.App) error {
		a.Formation[process] = n
		return nil
	})
	if err != nil {
		return err
	}
	return e.resize(ctx, a, a.Formation, log)
}

func scaleWords(req api.ScaleRequest) string {
	var words []string
	for _, p := range slices.Sorted(maps.Keys(req)) {
		words = append(words, p+"="+strconv.Itoa(req[p]))
	}
	return strings.Join(words, " ")
}

// resize starts and stops replicas of the app's running generation so
// that each process type runs as many as formation says.
func (e *Engine) resize(ctx context.Context, a store.App, formation map[string]int,
	log io.Writer) (err error) {
	gen, err := e.Store.Release(a.Name, a.Generation)
	if err != nil {
		return err
	}
	cfg, err := e.Store.Config(a.Name, gen.ConfigVersion)
	if err != nil {
		return err
	}
	all, err := e.replicas(ctx, a.Name)
	if err != nil {
		return err
	}
	byProcess := map[string][]replica{}
	for _, r := range all {
		if r.Release == a.Generation {
			byProcess[r.Process] = append(byProcess[r.Process], r)
		}
	}

	var fresh, leaving []replica
	defer func() {
		if err != nil && len(fresh) > 0 {
			err = errors.Join(err, e.removeReplicas(context.WithoutCancel(ctx), fresh))
		}
	}()
	for _, process := range processesOf(formation) {
		have := byProcess[process]
		sort.Slice(have, func(i, j int) bool { return index(have[i]) < index(have[j]) })
		want := formation[process]
		if len(have) > want {
			leaving = append(leaving, have[want:]...)
			continue
		}
		env, err := e.environment(a.Name, gen, cfg, process)
		if err != nil {
			return err
		}
		next := 1
		if len(have) > 0 {
			next = index(have[len(have)-1]) + 1
		}
		for range want - len(have) {
			r, err := e.startReplica(ctx, gen, a.Generation, env, process, next)
			if err != nil {
				return err
			}
			next++
			fresh = append(fresh, r)
			fmt.Fprintf(log, "Started %s (%s)\n", r.Name, r.IP)
		}
	}
	if err := e.checkAll(ctx, fresh, a.Health, log); err != nil {
		return err
	}

	var serving []replica
	for _, rs := range byProcess {
		serving = append(serving, rs...)
	}
	serving = slices.DeleteFunc(append(serving, fresh...), func(r replica) bool {
		return slices.ContainsFunc(leaving, func(l replica) bool { return l.ID == r.ID })
	})
	if err := e.Router.SetBackends(a.Name, addrsOf(serving)); err != nil {
		return err
	}
	fresh = nil
	if len(leaving) > 0 {
		fmt.Fprintf(log, "Draining and stopping %d replicas\n", len(leaving))
		e.drain(ctx, a.Name, addrsOf(leaving))
		return e.removeReplicas(ctx, leaving)
	}
	return nil
}

// index returns the I of a replica named APP-PROCESS-vN-I.
func index(r replica) int {
	i := strings.LastIndexByte(r.Name, '-')
	n, _ := strconv.Atoi(r.Name[i+1:])
	return n
}
