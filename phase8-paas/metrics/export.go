package metrics

import (
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"shibafu.dev/phase8-paas/api"
)

// Metrics returns an app's history, oldest point first, and its
// replicas as of the last point.
func (c *Collector) Metrics(app string) api.Metrics {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := api.Metrics{App: app, Interval: api.Duration(c.Resolution()),
		Points: []api.MetricPoint{}, Replicas: []api.ReplicaMetrics{}}
	if m, ok := c.apps[app]; ok {
		out.Points = m.points.All()
		out.Replicas = append(out.Replicas, m.replicas...)
	}
	return out
}

// Window returns an app's points of the last d, oldest first.
func (c *Collector) Window(app string, d time.Duration) []api.MetricPoint {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.apps[app]
	if !ok {
		return nil
	}
	all := m.points.All()
	from := time.Now().Add(-d)
	i, _ := slices.BinarySearchFunc(all, from, func(p api.MetricPoint, t time.Time) int {
		return p.Time.Compare(t)
	})
	return all[i:]
}

// Forget drops an app's metrics, when the app is destroyed.
func (c *Collector) Forget(app string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.apps, app)
}

func (c *Collector) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.Default()
	}
	return c.Logger
}

// The Prometheus metrics, labelled by app, process and replica.
var (
	descCPU = prometheus.NewDesc("shibafu_paas_replica_cpu_percent",
		"CPU use of a replica, in percent of its CPU limit.",
		[]string{"app", "process", "replica"}, nil)
	descMemory = prometheus.NewDesc("shibafu_paas_replica_memory_bytes",
		"Memory a replica uses.", []string{"app", "process", "replica"}, nil)
	descRestarts = prometheus.NewDesc("shibafu_paas_replica_restarts",
		"Times a replica's restart policy started it again.",
		[]string{"app", "process", "replica"}, nil)
	descReplicas = prometheus.NewDesc("shibafu_paas_app_replicas",
		"Running replicas of a process type.", []string{"app", "process"}, nil)
	descRate = prometheus.NewDesc("shibafu_paas_app_requests_per_second",
		"Requests per second through the router, at the last point.",
		[]string{"app"}, nil)
	descErrRate = prometheus.NewDesc("shibafu_paas_app_errors_per_second",
		"Answers 5xx per second through the router, at the last point.",
		[]string{"app"}, nil)
	descLatency = prometheus.NewDesc("shibafu_paas_app_latency_milliseconds",
		"Percentiles of the latency of the requests since the point before.",
		[]string{"app", "quantile"}, nil)
	descRequests = prometheus.NewDesc("shibafu_paas_app_requests_total",
		"Requests through the router, by status class.", []string{"app", "code"}, nil)
)

// Describe sends the descriptions of the metrics: Collector is a
// prometheus.Collector, which reads the latest point at each scrape.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCPU, descMemory, descRestarts, descReplicas,
		descRate, descErrRate, descLatency, descRequests} {
		ch <- d
	}
}

// Collect sends the values of the metrics as of each app's last point.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for _, app := range slices.Sorted(maps.Keys(c.apps)) {
		m := c.apps[app]
		for _, r := range m.replicas {
			gauge(descCPU, r.CPUPercent, app, r.Process, r.Name)
			gauge(descMemory, float64(r.MemoryBytes), app, r.Process, r.Name)
			gauge(descRestarts, float64(r.Restarts), app, r.Process, r.Name)
		}
		for class, n := range m.totals {
			ch <- prometheus.MustNewConstMetric(descRequests, prometheus.CounterValue,
				float64(n), app, class)
		}
		p, ok := m.points.Last()
		if !ok {
			continue
		}
		for process, pp := range p.Processes {
			gauge(descReplicas, float64(pp.Replicas), app, process)
		}
		gauge(descRate, p.Requests, app)
		gauge(descErrRate, p.Errors, app)
		gauge(descLatency, p.P50, app, "0.5")
		gauge(descLatency, p.P95, app, "0.95")
		gauge(descLatency, p.P99, app, "0.99")
	}
}

var _ prometheus.Collector = (*Collector)(nil)
