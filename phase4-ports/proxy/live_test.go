package proxy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// These tests change a running Server (live.go) the way the PaaS does:
// pools added and removed, route tables replaced, under load.

// emptyConfig is one HTTP frontend called "front" with no pool and no
// routes, as a platform starts its router.
func emptyConfig() proxy.Config {
	return proxy.Config{Frontends: []proxy.FrontendConfig{{Name: "front",
		Listen: "127.0.0.1:0"}}}
}

// getHost fetches path with the given Host through frontend "front" and
// returns status and body, or an error.
func getHost(s *proxy.Server, host, path string) (int, string, error) {
	req, err := http.NewRequest("GET", "http://"+s.Addr("front").String()+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Host = host
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res.StatusCode, string(body), err
}

// load sends requests for one host from several goroutines until stop,
// and counts them. Some workers ask for a %-encoded path, which the fast
// path hands to net/http, so that both paths carry the load.
type load struct {
	sent, ok atomic.Int64
	halt     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	failures []string
}

func startLoad(t *testing.T, s *proxy.Server, host string, accept func(string) bool) *load {
	t.Helper()
	l := &load{halt: make(chan struct{})}
	for i := range 8 {
		path := "/"
		if i%4 == 3 {
			path = "/slow%20path"
		}
		l.wg.Go(func() { l.run(s, host, path, accept) })
	}
	return l
}

func (l *load) run(s *proxy.Server, host, path string, accept func(string) bool) {
	for {
		select {
		case <-l.halt:
			return
		default:
		}
		l.sent.Add(1)
		status, body, err := getHost(s, host, path)
		if err == nil && status == http.StatusOK && accept(body) {
			l.ok.Add(1)
			continue
		}
		l.mu.Lock()
		l.failures = append(l.failures, fmt.Sprintf("%s: %d %q %v", path, status, body, err))
		l.mu.Unlock()
	}
}

// settle lets the load send n more requests, so that each change of a
// test meets requests on both sides of it.
func (l *load) settle(t *testing.T, n int64) {
	t.Helper()
	want := l.sent.Load() + n
	eventually(t, 5*time.Second, func() bool { return l.sent.Load() >= want },
		"the load goes on")
}

// stop ends the load and checks that every request succeeded.
func (l *load) stop(t *testing.T) {
	t.Helper()
	close(l.halt)
	l.wg.Wait()
	require.Positive(t, l.sent.Load())
	assert.Equal(t, l.sent.Load(), l.ok.Load(), "every request answered: %v", l.failures)
}

func is(names ...string) func(string) bool {
	return func(body string) bool {
		for _, n := range names {
			if body == n {
				return true
			}
		}
		return false
	}
}

func TestEmptyFrontendAnswers404UntilRouted(t *testing.T) {
	app := newBackend(t, "app")
	s := startProxy(t, emptyConfig())

	status, _, err := getHost(s, "app.test", "/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, status)

	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "app", Backends: addrs(app)}))
	require.NoError(t, s.SetRoutes("front", []proxy.Route{{Host: "app.test", Pool: "app"}}))
	status, body, err := getHost(s, "app.test", "/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "app", body)
	status, _, err = getHost(s, "other.test", "/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, status, "a host without a route")
}

func TestSetRoutesByHostToTwoPools(t *testing.T) {
	a1, a2, b1 := newBackend(t, "a1"), newBackend(t, "a2"), newBackend(t, "b1")
	s := startProxy(t, emptyConfig())
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "a", Backends: addrs(a1, a2)}))
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "b", Backends: addrs(b1)}))
	require.NoError(t, s.SetRoutes("front", []proxy.Route{
		{Host: "A.test", Pool: "a"}, {Host: "b.test", Pool: "b"}}))

	for _, tc := range []struct{ host, path, want1, want2 string }{
		{"a.test", "/", "a1", "a2"},
		{"a.test:8080", "/x", "a1", "a2"},
		{"b.test", "/", "b1", "b1"},
		{"b.test", "/slow%20path", "b1", "b1"}, // net/http path
	} {
		for range 4 {
			status, body, err := getHost(s, tc.host, tc.path)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, status, tc.host)
			assert.Contains(t, []string{tc.want1, tc.want2}, body, tc.host)
		}
	}
	assert.Positive(t, a1.hits.Load())
	assert.Positive(t, a2.hits.Load())

	routes, err := s.Routes("front")
	require.NoError(t, err)
	assert.Equal(t, []proxy.Route{{Host: "a.test", PathPrefix: "/", Pool: "a"},
		{Host: "b.test", PathPrefix: "/", Pool: "b"}}, routes)
}

func TestChangesRefusedChangeNothing(t *testing.T) {
	a, b, c := newBackend(t, "a"), newBackend(t, "b"), newBackend(t, "c")
	s := &proxy.Server{Config: proxy.Config{
		Pools: []proxy.PoolConfig{{Name: "a", Backends: addrs(a)},
			{Name: "b", Backends: addrs(b)}, {Name: "c", Backends: addrs(c)}},
		Frontends: []proxy.FrontendConfig{
			{Name: "front", Listen: "127.0.0.1:0", Pool: "b",
				Routes: []proxy.Route{{Host: "a.test", Pool: "a"}}},
			{Name: "pg", Listen: "127.0.0.1:0", Mode: proxy.TCP, Pool: "c"},
		},
	}}
	require.ErrorIs(t, s.AddPool(proxy.PoolConfig{Name: "d"}), proxy.ErrNotRunning)
	require.NoError(t, s.Start(context.Background()))
	t.Cleanup(func() {
		client.CloseIdleConnections()
		require.NoError(t, s.Shutdown(context.Background()))
	})

	for _, tc := range []struct {
		pool string
		want error
		user string
	}{
		{"a", proxy.ErrInUse, "frontend front"}, // by a route
		{"b", proxy.ErrInUse, "frontend front"}, // as the frontend's pool
		{"c", proxy.ErrInUse, "frontend pg"},    // by a TCP frontend
		{"nope", proxy.ErrNoPool, ""},
	} {
		err := s.RemovePool(tc.pool)
		require.ErrorIs(t, err, tc.want, tc.pool)
		assert.Contains(t, err.Error(), tc.user)
	}
	err := s.SetRoutes("front", []proxy.Route{{Host: "x.test", Pool: "a"},
		{Host: "a.test", Pool: "ghost"}})
	require.ErrorIs(t, err, proxy.ErrInvalid)
	assert.Contains(t, err.Error(), `"ghost"`, "the error names the pool")
	require.ErrorIs(t, s.SetRoutes("pg", nil), proxy.ErrNoFrontend)
	require.ErrorIs(t, s.SetRoutes("nope", nil), proxy.ErrNoFrontend)
	require.ErrorIs(t, s.AddPool(proxy.PoolConfig{Name: "a"}), proxy.ErrExists)
	require.ErrorIs(t, s.AddPool(proxy.PoolConfig{Name: "bad name"}), proxy.ErrInvalid)
	require.ErrorIs(t, s.AddPool(proxy.PoolConfig{Name: "e", Backends: []string{"x"}}),
		proxy.ErrInvalid)

	routes, err := s.Routes("front")
	require.NoError(t, err)
	assert.Equal(t, []proxy.Route{{Host: "a.test", PathPrefix: "/", Pool: "a"}}, routes)
	_, body, err := getHost(s, "a.test", "/")
	require.NoError(t, err)
	assert.Equal(t, "a", body, "still routed as before")
	for _, name := range []string{"a", "b", "c"} {
		_, err := s.Pool(name)
		require.NoError(t, err, "pool %s still runs", name)
	}

	// Once no route uses it, the pool goes, and its name is free again.
	require.NoError(t, s.SetRoutes("front", nil))
	require.NoError(t, s.RemovePool("a"))
	_, err = s.Pool("a")
	require.ErrorIs(t, err, proxy.ErrNoPool)
	_, body, err = getHost(s, "a.test", "/")
	require.NoError(t, err)
	assert.Equal(t, "b", body, "what no route matches goes to the frontend's pool")
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "a", Backends: addrs(a)}))
}

// TestAddPoolsAndRoutesUnderLoad adds twenty pools and routes to a
// frontend while it carries a steady load for another host, and counts:
// every request of the load is answered, and every new host at once.
func TestAddPoolsAndRoutesUnderLoad(t *testing.T) {
	stable := newBackend(t, "stable")
	s := startProxy(t, emptyConfig())
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "stable", Backends: addrs(stable)}))
	routes := []proxy.Route{{Host: "stable.test", Pool: "stable"}}
	require.NoError(t, s.SetRoutes("front", routes))

	l := startLoad(t, s, "stable.test", is("stable"))
	for i := range 20 {
		name := fmt.Sprint("app", i)
		b := newBackend(t, name)
		require.NoError(t, s.AddPool(proxy.PoolConfig{Name: name, Backends: addrs(b)}))
		routes = append(routes, proxy.Route{Host: name + ".test", Pool: name})
		require.NoError(t, s.SetRoutes("front", routes))
		status, body, err := getHost(s, name+".test", "/")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, name, body)
		l.settle(t, 20)
	}
	l.stop(t)
	assert.Equal(t, l.sent.Load(), stable.hits.Load(), "each request reached the backend once")
	t.Logf("%d requests while 20 pools and routes were added", l.sent.Load())
}

// TestMoveHostToNewPoolUnderLoadLosesNothing deploys twenty times the
// way the PaaS does, under a steady load for the host: add a pool of
// new backends, point the host's route at it, remove the old pool (which
// drains). Every request is answered 200, by exactly one backend.
func TestMoveHostToNewPoolUnderLoadLosesNothing(t *testing.T) {
	var blue, green []*backend
	for i := range 3 {
		blue = append(blue, newBackend(t, fmt.Sprint("blue", i)))
		green = append(green, newBackend(t, fmt.Sprint("green", i)))
	}
	s := startProxy(t, emptyConfig())
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "v0", Backends: addrs(blue...)}))
	require.NoError(t, s.SetRoutes("front", []proxy.Route{{Host: "app.test", Pool: "v0"}}))

	l := startLoad(t, s, "app.test", func(body string) bool { return body != "" })
	for i := 1; i <= 20; i++ {
		next := green
		if i%2 == 0 {
			next = blue
		}
		old, name := fmt.Sprint("v", i-1), fmt.Sprint("v", i)
		require.NoError(t, s.AddPool(proxy.PoolConfig{Name: name, Backends: addrs(next...)}))
		require.NoError(t, s.SetRoutes("front", []proxy.Route{{Host: "app.test", Pool: name}}))
		l.settle(t, 10)
		require.NoError(t, s.RemovePool(old))
		l.settle(t, 10)
	}
	l.stop(t)

	var served int64
	for _, b := range append(blue, green...) {
		served += b.hits.Load()
	}
	assert.Equal(t, l.sent.Load(), served,
		"by exactly one backend (more hits than requests means one was sent twice)")
	_, err := s.Pool("v19")
	assert.True(t, errors.Is(err, proxy.ErrNoPool), "the old pools are gone")
	t.Logf("%d requests over 20 moves", l.sent.Load())
}
