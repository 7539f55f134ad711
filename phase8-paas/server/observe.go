package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/autoscale"
	"shibafu.dev/phase8-paas/events"
	"shibafu.dev/phase8-paas/logs"
	"shibafu.dev/phase8-paas/metrics"
)

// Observability is what serves the apps' logs, metrics, events and
// autoscalers.
type Observability struct {
	Logs       *logs.Store
	Metrics    *metrics.Collector
	Events     *events.Feed
	Autoscaler *autoscale.Controller
}

// forget drops what is kept of a destroyed app: its log, its events
// and its metrics.
func (o Observability) forget(app string) error {
	if o.Metrics != nil {
		o.Metrics.Forget(app)
	}
	var errs []error
	if o.Logs != nil {
		errs = append(errs, o.Logs.Remove(app))
	}
	if o.Events != nil {
		errs = append(errs, o.Events.Remove(app))
	}
	return errors.Join(errs...)
}

// defaultTail is how many lines of log GET .../logs answers with when
// it is given neither tail nor since, as `heroku logs` does.
const defaultTail = 100

func (s *Server) observeRoutes(mux *http.ServeMux) {
	s.handle(mux, "GET /v1/apps/{app}/logs", s.getLogs)
	s.handle(mux, "GET /v1/apps/{app}/metrics", s.getMetrics)
	s.handle(mux, "GET /v1/apps/{app}/events", s.getEvents)
	s.handle(mux, "GET /v1/apps/{app}/autoscale", s.getAutoscale)
	s.handle(mux, "PUT /v1/apps/{app}/autoscale", s.putAutoscale)
	s.handle(mux, "DELETE /v1/apps/{app}/autoscale", s.deleteAutoscale)
}

// prometheusHandler serves the apps' metrics in the Prometheus text
// format, at GET /metrics beside the API, without a token, as scrapers
// expect.
func (s *Server) prometheusHandler() http.Handler {
	reg := prometheus.NewRegistry()
	if s.Observe.Metrics != nil {
		reg.MustRegister(s.Observe.Metrics)
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// absent answers, and reports true, if the app does not exist or the
// part of the API it asks for (served is false) is not set up.
func (s *Server) absent(w http.ResponseWriter, r *http.Request, served bool,
	what string) bool {
	if !served {
		s.writeError(w, r, api.WithCategory(api.ErrNotFound,
			fmt.Errorf("this server keeps no %s", what)))
		return true
	}
	if _, err := s.Engine.Store.App(r.PathValue("app")); err != nil {
		s.writeError(w, r, err)
		return true
	}
	return false
}

// lineStream starts a JSON-lines answer and returns what sends one
// value, flushed at once.
func lineStream(w http.ResponseWriter) func(any) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	enc := json.NewEncoder(w)
	return func(v any) {
		enc.Encode(v)
		rc.Flush()
	}
}

// getLogs answers an app's log, ?tail=N lines (default 100, -1 for all)
// or ?since=TIME (RFC 3339, or a duration back from now such as 10m),
// of ?ps=TYPE only; with ?follow=true it goes on with new lines until
// the client hangs up.
func (s *Server) getLogs(w http.ResponseWriter, r *http.Request) {
	if s.absent(w, r, s.Observe.Logs != nil, "logs") {
		return
	}
	q, follow, err := logQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	send := lineStream(w)
	app := r.PathValue("app")
	if follow {
		s.Observe.Logs.Follow(r.Context(), app, q, func(l api.LogLine) { send(l) })
		return
	}
	lines, err := s.Observe.Logs.Read(app, q)
	for _, l := range lines {
		send(l)
	}
	if err != nil {
		s.logger().Warn("read an app's log", "app", app, "err", err)
	}
}

// logQuery reads the query parameters of GET .../logs.
func logQuery(r *http.Request) (logs.Query, bool, error) {
	v := r.URL.Query()
	q := logs.Query{Tail: defaultTail, Process: v.Get("ps")}
	if since := v.Get("since"); since != "" {
		t, err := ParseSince(since, time.Now())
		if err != nil {
			return q, false, err
		}
		q.Since, q.Tail = t, -1
	}
	if tail := v.Get("tail"); tail != "" {
		n, err := strconv.Atoi(tail)
		if err != nil || n < -1 {
			return q, false, api.WithCategory(api.ErrInvalid,
				fmt.Errorf("tail %q: want a number of lines, or -1 for all", tail))
		}
		q.Tail = n
	}
	if q.Process != "" {
		if err := api.ValidateProcessName(q.Process); err != nil {
			return q, false, err
		}
	}
	return q, v.Get("follow") == "true", nil
}

// ParseSince reads a time given as RFC 3339, or as a duration back from
// now, such as 10m.
func ParseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, api.WithCategory(api.ErrInvalid,
			fmt.Errorf("since %q: want a time (RFC 3339) or a duration such as 10m", s))
	}
	return t, nil
}

func (s *Server) getMetrics(w http.ResponseWriter, r *http.Request) {
	if s.absent(w, r, s.Observe.Metrics != nil, "metrics") {
		return
	}
	writeJSON(w, http.StatusOK, s.Observe.Metrics.Metrics(r.PathValue("app")))
}

// getEvents answers an app's recent events; with ?follow=true it goes
// on with new ones, as JSON lines, until the client hangs up.
func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) {
	if s.absent(w, r, s.Observe.Events != nil, "events") {
		return
	}
	app := r.PathValue("app")
	if r.URL.Query().Get("follow") == "true" {
		send := lineStream(w)
		s.Observe.Events.Follow(r.Context(), app, func(ev api.AppEvent) { send(ev) })
		return
	}
	evs, err := s.Observe.Events.Recent(app)
	s.reply(w, r, http.StatusOK, evs, err)
}

func (s *Server) getAutoscale(w http.ResponseWriter, r *http.Request) {
	if s.absent(w, r, s.Observe.Autoscaler != nil, "autoscalers") {
		return
	}
	as, err := s.Observe.Autoscaler.Get(r.PathValue("app"))
	s.reply(w, r, http.StatusOK, as, err)
}

func (s *Server) putAutoscale(w http.ResponseWriter, r *http.Request) {
	if s.absent(w, r, s.Observe.Autoscaler != nil, "autoscalers") {
		return
	}
	var req api.Autoscale
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	as, err := s.Observe.Autoscaler.Set(r.PathValue("app"), req)
	s.reply(w, r, http.StatusOK, as, err)
}

// deleteAutoscale turns off the autoscaler of ?process= (default web).
func (s *Server) deleteAutoscale(w http.ResponseWriter, r *http.Request) {
	if s.absent(w, r, s.Observe.Autoscaler != nil, "autoscalers") {
		return
	}
	req := api.Autoscale{Process: r.URL.Query().Get("process")}
	as, err := s.Observe.Autoscaler.Set(r.PathValue("app"), req)
	s.reply(w, r, http.StatusOK, as, err)
}
