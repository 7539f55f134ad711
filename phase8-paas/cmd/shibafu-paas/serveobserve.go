package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase4-ports/proxy"
	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/autoscale"
	"shibafu.dev/phase8-paas/deploy"
	"shibafu.dev/phase8-paas/events"
	"shibafu.dev/phase8-paas/logs"
	"shibafu.dev/phase8-paas/metrics"
	"shibafu.dev/phase8-paas/server"
)

// observeOptions are the flags of `serve` about logs, metrics and
// autoscaling, and the CPU limit their percentages are of.
type observeOptions struct {
	cpus              float64
	logRetention      string
	metricsInterval   time.Duration
	autoscaleInterval time.Duration
}

func addObserveFlags(f *pflag.FlagSet, o *observeOptions) {
	f.Float64Var(&o.cpus, "cpus", 0, "CPU limit of each replica, in CPUs (default: none;"+
		" CPU percentages are then of one CPU)")
	f.StringVar(&o.logRetention, "log-retention", "16m", "log kept per app, oldest"+
		" lines dropped first")
	f.DurationVar(&o.metricsInterval, "metrics-interval", metrics.DefaultInterval,
		"time between two metric points of an app (an hour of them is kept)")
	f.DurationVar(&o.autoscaleInterval, "autoscale-interval", autoscale.DefaultInterval,
		"how often the autoscaler looks at the metrics")
}

// observability is the log collector, the metrics, the event feed and
// the autoscaler of a serve, and the glue between them.
type observability struct {
	logs      *logs.Store
	metrics   *metrics.Collector
	feed      *events.Feed
	scaler    *autoscale.Controller
	collector *logs.Collector
	// accesses carries the router's access log to the app logs, off
	// the path of the requests.
	accesses chan proxy.Access
	log      *slog.Logger
}

func newObservability(o serveOptions, log *slog.Logger) (*observability, error) {
	retention, err := bundle.ParseSize(o.obs.logRetention)
	if err != nil || retention <= 0 {
		return nil, fmt.Errorf("--log-retention %q: want a size such as 16m", o.obs.logRetention)
	}
	feed := &events.Feed{Dir: filepath.Join(o.root, "events")}
	m := &metrics.Collector{CPUs: o.obs.cpus, Interval: o.obs.metricsInterval, Logger: log}
	return &observability{
		logs:    &logs.Store{Dir: filepath.Join(o.root, "logs"), Retention: retention},
		metrics: m,
		feed:    feed,
		scaler: &autoscale.Controller{Metrics: m, Interval: o.obs.autoscaleInterval,
			Notify: feed.Add, Logger: log},
		accesses: make(chan proxy.Access, 4096),
		log:      log,
	}, nil
}

// access is the router's access log: it counts the request at once, and
// queues its line for the app's log, dropped if the queue is full.
func (ob *observability) access(a proxy.Access) {
	ob.metrics.Access(a)
	select {
	case ob.accesses <- a:
	default:
	}
}

// notify takes the engine's events: into the feed, and to the
// autoscaler, whose cooldowns start again after any change.
func (ob *observability) notify(ev api.AppEvent) {
	ob.feed.Add(ev)
	ob.scaler.Changed(ev.App)
}

// wire gives the engine the CPU limit and the hooks, before Recover.
func (ob *observability) wire(eng *deploy.Engine, cpus float64) {
	eng.CPUs = cpus
	eng.Notify = ob.notify
	eng.AppLog = ob.logs.Writer
	ob.scaler.Engine = eng
	ob.metrics.Replicas = eng.AllReplicas
}

// start runs the collectors and the control loop until ctx ends.
func (ob *observability) start(ctx context.Context, eng *deploy.Engine, rt *rtclient.Client) {
	ob.metrics.Runtime = rt
	replicas := &events.Replicas{Feed: ob.feed}
	ob.collector = &logs.Collector{Store: ob.logs, Runtime: rt, Replicas: eng.AllReplicas,
		Replica: eng.ReplicaByID, OnEvent: replicas.Runtime, Logger: ob.log}
	go ob.collector.Run(ctx)
	go ob.metrics.Run(ctx)
	go ob.scaler.Run(ctx)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case a := <-ob.accesses:
				ob.logAccess(a)
			}
		}
	}()
}

// logAccess writes a request's line to its app's log, naming the
// replica that answered.
func (ob *observability) logAccess(a proxy.Access) {
	app, ok := metrics.AppOf(a.Pool)
	if !ok {
		return
	}
	r, _ := ob.collector.ReplicaAt(a.Backend)
	ob.logs.Append(logs.AccessLine(a, app, r.Name, r.Process))
}

// api is what the API server serves of it.
func (ob *observability) api() server.Observability {
	return server.Observability{Logs: ob.logs, Metrics: ob.metrics, Events: ob.feed,
		Autoscaler: ob.scaler}
}

// close ends the followers of logs and events, at shutdown, so that
// their streams do not hold the API server open.
func (ob *observability) close() {
	ob.logs.Close()
	ob.feed.Close()
}
