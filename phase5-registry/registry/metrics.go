package registry

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, in a registry of their
// own so that two servers in one process (as in tests) do not clash.
type metrics struct {
	reg      *prometheus.Registry
	serve    http.Handler
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	sent     prometheus.Counter
	received prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shibafu_registry_requests_total",
			Help: "API requests by method, endpoint and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shibafu_registry_request_duration_seconds",
			Help:    "Time to answer API requests, by method and endpoint.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 9),
		}, []string{"method", "route"}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shibafu_registry_sent_bytes_total",
			Help: "Bytes of response bodies sent.",
		}),
		received: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shibafu_registry_received_bytes_total",
			Help: "Bytes of request bodies announced by Content-Length.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.sent, m.received)
	m.serve = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// record counts one finished request.
func (m *metrics) record(method string, info *requestInfo, elapsed time.Duration,
	contentLength int64) {
	m.requests.WithLabelValues(method, info.route, strconv.Itoa(info.status)).Inc()
	m.duration.WithLabelValues(method, info.route).Observe(elapsed.Seconds())
	m.sent.Add(float64(info.bytes))
	if contentLength > 0 {
		m.received.Add(float64(contentLength))
	}
}

// handler serves the series at /metrics in Prometheus' text format.
func (m *metrics) handler() http.Handler {
	return m.serve
}
