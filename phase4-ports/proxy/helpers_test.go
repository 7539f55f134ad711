package proxy_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// backend is a test HTTP server on 127.0.0.1 that answers with its name,
// counts its requests, and fails /healthz when told to.
type backend struct {
	name    string
	srv     *httptest.Server
	hits    atomic.Int64
	failing atomic.Bool
}

func newBackend(t *testing.T, name string) *backend {
	t.Helper()
	b := &backend{name: name}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			if b.failing.Load() {
				w.WriteHeader(http.StatusInternalServerError)
			}
			return
		}
		b.hits.Add(1)
		io.WriteString(w, b.name)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *backend) addr() string { return strings.TrimPrefix(b.srv.URL, "http://") }

// addrs lists the backends' addresses.
func addrs(bs ...*backend) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.addr())
	}
	return out
}

// startProxy runs cfg, its frontends on 127.0.0.1 port 0, until the test
// ends.
func startProxy(t *testing.T, cfg proxy.Config) *proxy.Server {
	t.Helper()
	s := &proxy.Server{Config: cfg}
	require.NoError(t, s.Start(context.Background()))
	t.Cleanup(func() {
		// Idle keep-alive connections, some never used, would hold
		// Shutdown for seconds.
		client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, s.Shutdown(ctx))
	})
	return s
}

// httpConfig is one HTTP frontend in front of one pool called "web".
func httpConfig(pool proxy.PoolConfig) proxy.Config {
	pool.Name = "web"
	return proxy.Config{
		Pools:     []proxy.PoolConfig{pool},
		Frontends: []proxy.FrontendConfig{{Name: "front", Listen: "127.0.0.1:0", Pool: "web"}},
	}
}

// client is an HTTP client with a timeout and enough idle connections.
var client = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64, Proxy: nil},
}

// get fetches path through the proxy's frontend and returns status and
// body.
func get(t *testing.T, s *proxy.Server, path string) (int, string) {
	t.Helper()
	res, err := client.Get(fmt.Sprintf("http://%s%s", s.Addr("front"), path))
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(body)
}

// eventually polls cond every 10ms until it holds or within passes.
func eventually(t *testing.T, within time.Duration, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, within, 10*time.Millisecond, msg)
}
