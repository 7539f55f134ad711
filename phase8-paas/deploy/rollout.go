package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	rtapi "shibafu.dev/phase7-runtime/api"
	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/api"
)

// rollout is a blue-green deploy of rel. The new release's replicas
// start next to the old ones ("green" beside "blue"); each must pass the
// app's health check; then, in this order, the release is recorded as
// the one that serves, the router's pool is swapped to the new web
// replicas in one step, and the old replicas are drained and stopped.
// If any new replica fails, every new one is removed, the old ones go on
// serving untouched, and the error says which failed and why, with the
// end of its log.
func (e *Engine) rollout(ctx context.Context, rel api.Release, health api.HealthCheck,
	log io.Writer) (err error) {
	cfg, err := e.Store.Config(rel.App, rel.ConfigVersion)
	if err != nil {
		return err
	}
	old, err := e.replicas(ctx, rel.App)
	if err != nil {
		return err
	}

	var fresh []replica
	defer func() {
		if err != nil && len(fresh) > 0 {
			fmt.Fprintf(log, "Removing the %d replicas of v%d\n", len(fresh), rel.Number)
			err = errors.Join(err, e.removeReplicas(context.WithoutCancel(ctx), fresh))
		}
	}()
	for _, process := range processesOf(rel.Formation) {
		env, err := e.environment(rel.App, rel, cfg, process)
		if err != nil {
			return err
		}
		for i := 1; i <= rel.Formation[process]; i++ {
			r, err := e.startReplica(ctx, rel, rel.Number, env, process, i)
			if err != nil {
				return err
			}
			fresh = append(fresh, r)
			fmt.Fprintf(log, "Started %s (%s)\n", r.Name, r.IP)
		}
	}

	if err := e.checkAll(ctx, fresh, health, log); err != nil {
		return err
	}
	if _, err := e.Store.UpdateRelease(rel.App, rel.Number, func(r *api.Release) {
		r.Status = api.StatusSucceeded
	}); err != nil {
		return err
	}
	web := addrsOf(fresh)
	if err := e.Router.SetBackends(rel.App, web); err != nil {
		return err
	}
	fmt.Fprintf(log, "Routing %s to %d web replicas of v%d\n", e.Router.Host(rel.App),
		len(web), rel.Number)
	fresh = nil // they serve now: keep them whatever happens next

	if len(old) > 0 {
		fmt.Fprintf(log, "Draining and stopping %d replicas of the previous release\n",
			len(old))
		e.drain(ctx, rel.App, addrsOf(old))
		if err := e.removeReplicas(ctx, old); err != nil {
			// The new release serves; a replica left behind is the
			// operator's to see, not a failed deploy.
			e.logger().Warn("retire old replicas", "app", rel.App, "err", err)
		}
	}
	return nil
}

// processesOf returns the process types of a formation, web first.
func processesOf(formation map[string]int) []string {
	var ps []string
	for p := range formation {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool {
		if (ps[i] == "web") != (ps[j] == "web") {
			return ps[i] == "web"
		}
		return ps[i] < ps[j]
	})
	return ps
}

// addrsOf returns the router addresses of the web replicas among rs.
func addrsOf(rs []replica) []string {
	var addrs []string
	for _, r := range rs {
		if r.Addr != "" {
			addrs = append(addrs, r.Addr)
		}
	}
	slices.Sort(addrs)
	return addrs
}

// checkAll checks every replica at once: a web replica must answer the
// health check, any other must still be running after a few seconds.
func (e *Engine) checkAll(ctx context.Context, rs []replica, h api.HealthCheck,
	log io.Writer) error {
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Go(func() {
			if r.Process == "web" {
				errs[i] = e.checkWeb(ctx, r, h)
			} else {
				errs[i] = e.checkRunning(ctx, r, 2*time.Second)
			}
		})
	}
	wg.Wait()
	var failed []error
	for i, err := range errs {
		if err == nil {
			fmt.Fprintf(log, "%s is healthy\n", rs[i].Name)
			continue
		}
		failed = append(failed, err)
		fmt.Fprintf(log, "%s failed: %v\nThe end of its log:\n", rs[i].Name, err)
		tail := ctx
		if ctx.Err() != nil {
			tail = context.WithoutCancel(ctx)
		}
		e.Runtime.Logs(tail, rs[i].ID, rtclient.LogOptions{Tail: 20}, indent(log),
			indent(log))
	}
	return errors.Join(failed...)
}

// checkWeb fetches the health check path of a web replica until it
// answers 2xx or 3xx, its container dies, or the retries run out.
func (e *Engine) checkWeb(ctx context.Context, r replica, h api.HealthCheck) error {
	if r.Addr == "" {
		return fmt.Errorf("no address on network %s", e.Network)
	}
	hc := &http.Client{Timeout: time.Duration(h.Timeout),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	url := "http://" + r.Addr + h.Path
	var last error
	for try := 0; try < h.Retries; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(h.Interval)):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 400 {
				return nil
			}
			err = fmt.Errorf("GET %s answered %s", h.Path, resp.Status)
		}
		last = err
		if err := e.crashed(ctx, r); err != nil {
			return err
		}
	}
	return fmt.Errorf("health check failed %d times, last: %w", h.Retries, last)
}

// checkRunning waits for a while and checks the replica still runs and
// has not been restarted.
func (e *Engine) checkRunning(ctx context.Context, r replica, settle time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(settle):
	}
	return e.crashed(ctx, r)
}

// crashed returns an error if the replica's container has exited or has
// been restarted by its restart policy.
func (e *Engine) crashed(ctx context.Context, r replica) error {
	c, err := e.Runtime.Inspect(ctx, r.ID)
	if err != nil {
		return err
	}
	if c.State.Status != rtapi.StatusRunning || c.RestartCount > 0 {
		return fmt.Errorf("its process exited with code %d", c.State.ExitCode)
	}
	return nil
}

// drain waits until the router has no request in flight to addrs, or
// the drain timeout has passed. The router already sends no new request
// there.
func (e *Engine) drain(ctx context.Context, app string, addrs []string) {
	deadline := time.Now().Add(e.drainTimeout())
	for time.Now().Before(deadline) && e.Router.InFlight(app, addrs) > 0 {
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// indent writes each line it is given with two spaces before it.
func indent(w io.Writer) io.Writer { return &indenter{w: w, start: true} }

type indenter struct {
	w     io.Writer
	start bool
}

func (in *indenter) Write(p []byte) (int, error) {
	var out []byte
	for _, b := range p {
		if in.start {
			out = append(out, ' ', ' ')
		}
		out = append(out, b)
		in.start = b == '\n'
	}
	_, err := in.w.Write(out)
	return len(p), err
}
