package server

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"shibafu.dev/phase7-runtime/api"
)

// The metrics of each running container, labelled by its ID and name
// (and network and interface for traffic). CPU time and traffic are
// counters (Prometheus works out rates from them, as in
// `rate(shibafu_container_cpu_seconds_total[1m])`); memory and
// processes are gauges.
var (
	containerLabels = []string{"id", "name"}
	netLabels       = []string{"id", "name", "network", "interface"}

	cpuDesc = prometheus.NewDesc("shibafu_container_cpu_seconds_total",
		"CPU time used by the container's processes.", containerLabels, nil)
	memDesc = prometheus.NewDesc("shibafu_container_memory_bytes",
		"Memory the container uses, page cache included.", containerLabels, nil)
	memLimitDesc = prometheus.NewDesc("shibafu_container_memory_limit_bytes",
		"The container's memory limit (absent when it has none).", containerLabels, nil)
	pidsDesc = prometheus.NewDesc("shibafu_container_pids",
		"Processes and threads in the container.", containerLabels, nil)
	rxDesc = prometheus.NewDesc("shibafu_container_network_receive_bytes_total",
		"Bytes received on an interface of the container.", netLabels, nil)
	txDesc = prometheus.NewDesc("shibafu_container_network_transmit_bytes_total",
		"Bytes sent on an interface of the container.", netLabels, nil)

	// These three are of every container the daemon knows, running or
	// not, from its records rather than the samples.
	runningDesc = prometheus.NewDesc("shibafu_container_running",
		"1 if the container runs, else 0.", containerLabels, nil)
	restartsDesc = prometheus.NewDesc("shibafu_container_restarts_total",
		"Restarts of the container by its restart policy.", containerLabels, nil)
	healthyDesc = prometheus.NewDesc("shibafu_container_healthy",
		"1 if the container's health check passes, else 0 (only with a check).",
		containerLabels, nil)
)

// collector is a prometheus.Collector that reports the daemon's latest
// samples when scraped. It reads no cgroup file itself: the daemon's
// sampler did that already, so a scrape costs next to nothing.
type collector struct {
	samples    func() []api.Stats
	containers func() []api.Container
}

var _ prometheus.Collector = (*collector)(nil)

// Describe sends the descriptions of every metric collect sends.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cpuDesc, memDesc, memLimitDesc, pidsDesc,
		rxDesc, txDesc, runningDesc, restartsDesc, healthyDesc} {
		ch <- d
	}
}

// Collect sends the metrics of every container.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for _, ctr := range c.containers() {
		ch <- prometheus.MustNewConstMetric(runningDesc, prometheus.GaugeValue,
			boolValue(ctr.State.Status == api.StatusRunning), ctr.ID, ctr.Name)
		ch <- prometheus.MustNewConstMetric(restartsDesc, prometheus.CounterValue,
			float64(ctr.RestartCount), ctr.ID, ctr.Name)
		if h := ctr.State.Health; h != nil {
			ch <- prometheus.MustNewConstMetric(healthyDesc, prometheus.GaugeValue,
				boolValue(h.Status == api.HealthHealthy), ctr.ID, ctr.Name)
		}
	}
	for _, s := range c.samples() {
		ch <- prometheus.MustNewConstMetric(cpuDesc, prometheus.CounterValue,
			float64(s.CPUNanos)/1e9, s.ID, s.Name)
		ch <- prometheus.MustNewConstMetric(memDesc, prometheus.GaugeValue,
			float64(s.MemoryBytes), s.ID, s.Name)
		if s.MemoryLimit > 0 {
			ch <- prometheus.MustNewConstMetric(memLimitDesc, prometheus.GaugeValue,
				float64(s.MemoryLimit), s.ID, s.Name)
		}
		ch <- prometheus.MustNewConstMetric(pidsDesc, prometheus.GaugeValue,
			float64(s.Pids), s.ID, s.Name)
		for _, n := range s.Networks {
			ch <- prometheus.MustNewConstMetric(rxDesc, prometheus.CounterValue,
				float64(n.RxBytes), s.ID, s.Name, n.Network, n.Interface)
			ch <- prometheus.MustNewConstMetric(txDesc, prometheus.CounterValue,
				float64(n.TxBytes), s.ID, s.Name, n.Network, n.Interface)
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// MetricsHandler serves the containers' metrics, and the daemon's own
// Go runtime and process metrics, in the Prometheus text format. The
// API serves it at /metrics on the socket; shibafud can serve it on a
// TCP address too, for a Prometheus server to scrape.
func (s *Server) MetricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		&collector{samples: s.Daemon.Samples, containers: s.containers},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// containers lists every container for the collector. A scrape gives
// Collect no context, so the list gets one of its own.
func (s *Server) containers() []api.Container {
	list, err := s.Daemon.List(context.Background(), true)
	if err != nil {
		s.logger().Error("cannot list containers for metrics", "err", err)
	}
	return list
}
