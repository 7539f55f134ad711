package proxy_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

func TestHealthCheckTakesBackendOutAndBack(t *testing.T) {
	a, b, c := newBackend(t, "a"), newBackend(t, "b"), newBackend(t, "c")
	interval := 50 * time.Millisecond
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: addrs(a, b, c),
		Health: &proxy.HealthCheck{Path: "/healthz", Interval: proxy.Duration(interval),
			Timeout: proxy.Duration(interval), Rise: 2, Fall: 2},
	}))
	pool, err := s.Pool("web")
	require.NoError(t, err)
	up := func(i int) func() bool { return func() bool { return pool.Status()[i].Up } }

	b.failing.Store(true)
	// Fall=2 failed checks, one interval apart, plus one interval of slack.
	eventually(t, 4*interval+time.Second/2, func() bool { return !up(1)() },
		"b is taken out within the check interval")
	b.hits.Store(0)
	for range 30 {
		status, body := get(t, s, "/")
		require.Equal(t, http.StatusOK, status)
		assert.NotEqual(t, "b", body)
	}
	assert.Zero(t, b.hits.Load(), "no traffic to a failing backend")

	b.failing.Store(false)
	eventually(t, 4*interval+time.Second/2, up(1), "b comes back once healthy")
	for range 30 {
		get(t, s, "/")
	}
	assert.EqualValues(t, 10, b.hits.Load(), "b takes its share again")
}

func TestTCPHealthCheck(t *testing.T) {
	a, b := newBackend(t, "a"), newBackend(t, "b")
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: addrs(a, b),
		Health:   &proxy.HealthCheck{Interval: proxy.Duration(30 * time.Millisecond), Fall: 1},
	}))
	pool, err := s.Pool("web")
	require.NoError(t, err)

	b.srv.Close() // refuses connections from now on
	eventually(t, time.Second, func() bool { return !pool.Status()[1].Up }, "b is out")
	status, body := get(t, s, "/")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "a", body)
}

func TestPassiveFailureDetection(t *testing.T) {
	a, b := newBackend(t, "a"), newBackend(t, "b")
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: addrs(a, b), MaxFails: 1, FailTimeout: proxy.Duration(time.Minute),
	}))
	b.srv.Close()

	for range 10 {
		status, body := get(t, s, "/")
		require.Equal(t, http.StatusOK, status, "a refused dial is retried on another backend")
		assert.Equal(t, "a", body)
	}
	pool, err := s.Pool("web")
	require.NoError(t, err)
	st := pool.Status()
	assert.False(t, st[1].Up, "b is out after a failed attempt")
	assert.True(t, st[1].Healthy, "no active check ran")
}

func TestNoBackendIs503(t *testing.T) {
	s := startProxy(t, httpConfig(proxy.PoolConfig{Backends: []string{}}))
	status, _ := get(t, s, "/")
	assert.Equal(t, http.StatusServiceUnavailable, status)
}
