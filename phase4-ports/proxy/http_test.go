package proxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

func TestForwardedHeaders(t *testing.T) {
	seen := make(chan http.Header, 1)
	host := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		host <- r.Host
	}))
	t.Cleanup(srv.Close)
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: []string{strings.TrimPrefix(srv.URL, "http://")}}))

	req, err := http.NewRequest("GET", "http://"+s.Addr("front").String()+"/x", nil)
	require.NoError(t, err)
	req.Host = "app.example.test"
	req.Header.Set("X-Forwarded-For", "192.0.2.7")
	res, err := client.Do(req)
	require.NoError(t, err)
	res.Body.Close()

	h := <-seen
	assert.Equal(t, "192.0.2.7, 127.0.0.1", h.Get("X-Forwarded-For"), "the client is appended")
	assert.Equal(t, "app.example.test", h.Get("X-Forwarded-Host"))
	assert.Equal(t, "http", h.Get("X-Forwarded-Proto"))
	assert.Equal(t, "app.example.test", <-host, "the Host header is passed on")
}

func TestRoutesByHostAndPath(t *testing.T) {
	api, web, admin, other := newBackend(t, "api"), newBackend(t, "web"),
		newBackend(t, "admin"), newBackend(t, "other")
	cfg := proxy.Config{
		Pools: []proxy.PoolConfig{
			{Name: "api", Backends: addrs(api)}, {Name: "web", Backends: addrs(web)},
			{Name: "admin", Backends: addrs(admin)}, {Name: "other", Backends: addrs(other)},
		},
		Frontends: []proxy.FrontendConfig{{Name: "front", Listen: "127.0.0.1:0",
			Pool: "other", Routes: []proxy.Route{
				{Host: "app.test", Pool: "web"},
				{Host: "app.test", PathPrefix: "/api/", Pool: "api"},
				{Host: "*.app.test", Pool: "admin"},
			}}},
	}
	s := startProxy(t, cfg)
	for _, tc := range []struct{ host, path, want string }{
		{"app.test", "/", "web"},
		{"APP.test:8080", "/api/users", "api"},
		{"app.test", "/apiary", "web"},
		{"eu.app.test", "/api/users", "admin"},
		{"elsewhere.test", "/", "other"},
	} {
		t.Run(tc.host+tc.path, func(t *testing.T) {
			req, err := http.NewRequest("GET", "http://"+s.Addr("front").String()+tc.path, nil)
			require.NoError(t, err)
			req.Host = tc.host
			res, err := client.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			assert.Equal(t, tc.want, string(body))
		})
	}
}

func TestStreamingResponsePassesThrough(t *testing.T) {
	next := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first\n")
		w.(http.Flusher).Flush()
		select {
		case <-next:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, "second\n")
	}))
	t.Cleanup(srv.Close)
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: []string{strings.TrimPrefix(srv.URL, "http://")}}))

	res, err := client.Get("http://" + s.Addr("front").String() + "/")
	require.NoError(t, err)
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "first\n", line, "the first chunk arrives before the response ends")
	close(next)
	line, err = r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "second\n", line)
}

// TestWebSocketUpgradePassesThrough upgrades a connection through the
// proxy (101 Switching Protocols) and echoes bytes over it, as a
// WebSocket would after its handshake.
func TestWebSocketUpgradePassesThrough(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "want an upgrade", http.StatusBadRequest)
			return
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
			"Connection: Upgrade\r\n\r\n")
		buf.Flush()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		io.Copy(conn, buf) // echo
	}))
	t.Cleanup(srv.Close)
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: []string{strings.TrimPrefix(srv.URL, "http://")}}))

	c, err := net.DialTimeout("tcp", s.Addr("front").String(), 2*time.Second)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	r := bufio.NewReader(c)
	res, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, res.StatusCode)

	io.WriteString(c, "ping\n")
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "ping\n", line)
}

func TestAccessLog(t *testing.T) {
	a := newBackend(t, "a")
	got := make(chan proxy.Access, 1)
	s := &proxy.Server{Config: httpConfig(proxy.PoolConfig{Backends: addrs(a)}),
		AccessLog: func(acc proxy.Access) { got <- acc }}
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(func() { client.CloseIdleConnections(); s.Shutdown(t.Context()) })

	res, err := client.Get("http://" + s.Addr("front").String() + "/hello")
	require.NoError(t, err)
	res.Body.Close()
	acc := <-got
	assert.Equal(t, "/hello", acc.Path)
	assert.Equal(t, http.StatusOK, acc.Status)
	assert.EqualValues(t, 1, acc.Bytes)
	assert.Equal(t, a.addr(), acc.Backend)
}
