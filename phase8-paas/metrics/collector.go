package metrics

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"shibafu.dev/phase4-ports/proxy"
	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
)

// Defaults of a Collector's zero fields: an hour at 10 s resolution.
const (
	DefaultInterval = 10 * time.Second
	DefaultPoints   = 360
)

// maxLatencies bounds the latencies kept per app between two points;
// past it, a random one is replaced (reservoir sampling), so that the
// percentiles stay fair and the memory bounded.
const maxLatencies = 20000

// Collector samples every app each Interval. Set the fields, give
// Access to the router as its access log, then Run.
type Collector struct {
	Runtime *rtclient.Client
	// Replicas lists the replicas of every app: Engine.AllReplicas.
	Replicas func(context.Context) ([]deploy.Running, error)
	// CPUs is each replica's CPU limit, which CPU percentages are of;
	// 0 means one CPU.
	CPUs float64
	// Interval is the time between points; 0 means DefaultInterval.
	Interval time.Duration
	// Points is how many points each app keeps; 0 means DefaultPoints.
	Points int
	// Logger gets what goes wrong; nil means slog.Default().
	Logger *slog.Logger

	mu       sync.Mutex
	apps     map[string]*appMetrics
	cpu      map[string]cpuSample // by container ID
	lastTick time.Time
}

// appMetrics is one app's history and the traffic since its last point.
type appMetrics struct {
	points   *Ring[api.MetricPoint]
	replicas []api.ReplicaMetrics
	traffic  traffic
	// totals count requests by status class, for Prometheus.
	totals map[string]uint64
}

// traffic is what the router saw of an app since the last point.
type traffic struct {
	requests, errors int
	latencies        []float64 // in ms
}

// cpuSample is a replica's CPU time at a sample of the runtime.
type cpuSample struct {
	read    time.Time
	nanos   uint64
	percent float64
}

// Resolution returns the time between points.
func (c *Collector) Resolution() time.Duration {
	if c.Interval <= 0 {
		return DefaultInterval
	}
	return c.Interval
}

// app returns an app's metrics, made if new. Callers hold c.mu.
func (c *Collector) app(name string) *appMetrics {
	if c.apps == nil {
		c.apps = map[string]*appMetrics{}
	}
	a, ok := c.apps[name]
	if !ok {
		n := c.Points
		if n <= 0 {
			n = DefaultPoints
		}
		a = &appMetrics{points: NewRing[api.MetricPoint](n), totals: map[string]uint64{}}
		c.apps[name] = a
	}
	return a
}

// AppOf returns the app a pool of the router serves ("app-NAME").
func AppOf(pool string) (string, bool) {
	return strings.CutPrefix(pool, "app-")
}

// Access counts a request the router served: the router's AccessLog.
func (c *Collector) Access(a proxy.Access) {
	name, ok := AppOf(a.Pool)
	if !ok {
		return
	}
	ms := float64(a.Duration) / float64(time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.app(name)
	t := &m.traffic
	t.requests++
	if a.Status >= 500 {
		t.errors++
	}
	if len(t.latencies) < maxLatencies {
		t.latencies = append(t.latencies, ms)
	} else if i := rand.IntN(t.requests); i < maxLatencies {
		t.latencies[i] = ms
	}
	m.totals[statusClass(a.Status)]++
}

func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return string(rune('0'+status/100)) + "xx"
}

// Run samples every Interval until ctx ends.
func (c *Collector) Run(ctx context.Context) {
	c.mu.Lock()
	c.lastTick = time.Now()
	c.mu.Unlock()
	t := time.NewTicker(c.Resolution())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Sample(ctx)
		}
	}
}
