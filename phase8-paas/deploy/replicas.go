package deploy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	rtapi "shibafu.dev/phase7-runtime/api"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/store"
)

// The labels that mark a container as a replica of an app. The runtime
// keeps them, so that the PaaS finds its replicas again after a restart
// by asking the runtime, not a list of its own that could go stale.
const (
	labelApp     = "dev.shibafu.paas.app"
	labelProcess = "dev.shibafu.paas.process"
	// labelRelease is the release whose rollout started the replica.
	labelRelease = "dev.shibafu.paas.release"
)

// replica is a replica with what the engine needs to reach it.
type replica struct {
	api.Replica
	ID string
	// Addr is IP:PORT for a web replica, where the router sends traffic.
	Addr string
}

// replicaName names replica i of a process of a release: APP-web-v3-1.
func replicaName(app, process string, release, i int) string {
	return fmt.Sprintf("%s-%s-v%d-%d", app, process, release, i)
}

// replicas returns every container of an app, running or not, by name.
func (e *Engine) replicas(ctx context.Context, app string) ([]replica, error) {
	cs, err := e.Runtime.List(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("list replicas of %s: %w", app, err)
	}
	var rs []replica
	for _, c := range cs {
		if c.Config.Labels[labelApp] != app {
			continue
		}
		rs = append(rs, e.replicaOf(c))
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
	return rs, nil
}

func (e *Engine) replicaOf(c rtapi.Container) replica {
	rel, _ := strconv.Atoi(c.Config.Labels[labelRelease])
	r := replica{ID: c.ID, Replica: api.Replica{Name: c.Name,
		Process: c.Config.Labels[labelProcess], Release: rel, State: c.State.Status,
		Started: c.State.StartedAt}}
	for _, ep := range c.Networks {
		if ep.Network == e.Network {
			r.IP = ep.IP
		}
	}
	if r.Process == "web" && r.IP != "" {
		for _, env := range c.Config.Env {
			if port, ok := strings.CutPrefix(env, "PORT="); ok {
				r.Addr = r.IP + ":" + port
			}
		}
	}
	return r
}

// environment is what a replica of rel gets: the config vars, the
// secrets (opened only here, on their way into the container), and the
// PaaS's own variables.
func (e *Engine) environment(app string, rel api.Release, cfg store.Config,
	process string) ([]string, error) {
	var env []string
	for name, value := range cfg.Vars {
		env = append(env, name+"="+value)
	}
	for name, sealed := range cfg.Secrets {
		plain, err := e.Secrets.Open(sealed, secretContext(app, name))
		if err != nil {
			return nil, fmt.Errorf("secret %s of %s: %w", name, app, err)
		}
		env = append(env, name+"="+string(plain))
	}
	sort.Strings(env)
	env = append(env,
		"SHIBAFU_APP="+app,
		"SHIBAFU_PROCESS="+process,
		"SHIBAFU_RELEASE="+strconv.Itoa(rel.Number))
	if process == "web" {
		env = append(env, "PORT="+strconv.Itoa(rel.Port))
	}
	return env, nil
}

// secretContext binds a sealed secret to its app and name.
func secretContext(app, name string) []byte { return []byte(app + "/" + name) }

// startReplica starts replica i of a process of rel, as a container of
// the runtime on the apps' network. A web replica answers to the app's
// name there too, alongside the app's other web replicas.
func (e *Engine) startReplica(ctx context.Context, rel api.Release, generation int,
	env []string, process string, i int) (replica, error) {
	req := rtapi.RunRequest{
		Image: rel.Image,
		// A process type's command is whole: it replaces the image's
		// entrypoint and cmd alike.
		Entrypoint: rel.Processes[process],
		Name:       replicaName(rel.App, process, generation, i),
		Env:        env,
		Networks:   []string{e.Network},
		Memory:     e.memory(),
		CPUs:       e.CPUs,
		// A replica that crashes comes back; one the PaaS stops does not.
		Restart: "always",
		Labels: map[string]string{
			labelApp: rel.App, labelProcess: process,
			labelRelease: strconv.Itoa(generation),
		},
	}
	if process == "web" {
		req.Alias = rel.App
	}
	c, err := e.Runtime.Run(ctx, req)
	if err != nil {
		return replica{}, fmt.Errorf("start %s: %w", req.Name, err)
	}
	return e.replicaOf(*c), nil
}

// removeReplicas stops replicas, each with the grace period, and removes
// them; it goes on past failures and returns them all.
func (e *Engine) removeReplicas(ctx context.Context, rs []replica) error {
	timeout := e.stopTimeout()
	errs := make([]error, len(rs))
	done := make(chan struct{})
	for i, r := range rs {
		go func() {
			defer func() { done <- struct{}{} }()
			if r.State == rtapi.StatusRunning {
				if err := e.Runtime.Stop(ctx, r.ID, &timeout); err != nil &&
					!errors.Is(err, rtapi.ErrNotFound) {
					e.logger().Warn("stop a replica", "name", r.Name, "err", err)
				}
			}
			err := e.Runtime.Remove(ctx, r.ID, true)
			if err != nil && !errors.Is(err, rtapi.ErrNotFound) {
				errs[i] = fmt.Errorf("remove %s: %w", r.Name, err)
			}
		}()
	}
	for range rs {
		<-done
	}
	return errors.Join(errs...)
}
