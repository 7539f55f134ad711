package proxy_test

import (
	"bufio"
	"context"
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

// These tests are about the event loops that serve plain-HTTP frontends
// (loop.go): what they hand on to the goroutine path, and how they stop.
// The rest of the tests exercise them too, as every plain-HTTP frontend
// of a test runs on them.

// A request with a body is served by the goroutine path; the connection
// stays there, and its next request without a body is served as well.
func TestLoopHandsBodiesOnAndKeepsTheConnection(t *testing.T) {
	s := proxyTo(t, echoHTTP(t))
	rc := dialFront(t, s)

	res, body := rc.do(t, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n", "GET")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "GET [] ", body)

	res, body = rc.do(t, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", "POST")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "POST [] hello", body)

	res, body = rc.do(t, "GET /c HTTP/1.1\r\nHost: x\r\n\r\n", "GET")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "GET [] ", body, "the same connection goes on after the body")
}

// Shutdown lets a request under way on a loop finish, closes the idle
// connections and stops accepting.
func TestLoopShutdownFinishesRequestsUnderWay(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	}))
	t.Cleanup(slow.Close)
	s := &proxy.Server{Config: httpConfig(proxy.PoolConfig{
		Backends: []string{strings.TrimPrefix(slow.URL, "http://")}})}
	require.NoError(t, s.Start(context.Background()))
	addr := s.Addr("front").String()

	idle, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer idle.Close()
	busy := &rawClient{}
	busy.c, err = net.Dial("tcp", addr)
	require.NoError(t, err)
	defer busy.c.Close()
	busy.c.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = io.WriteString(busy.c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond) // the request reaches the backend

	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopped <- s.Shutdown(ctx)
	}()

	busy.br = bufio.NewReader(busy.c)
	res, body := busy.read(t, "GET")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "finished", body)
	require.NoError(t, <-stopped)

	idle.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = idle.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the idle connection is closed")
	_, err = net.DialTimeout("tcp", addr, time.Second)
	assert.Error(t, err, "nothing listens any more")
}

// A backend given by host name is served: the loop hands the connection
// to the goroutine path rather than stop everything for the lookup. One
// keep-alive connection is served by the loop until round-robin picks
// the named backend, and by the goroutine path after.
func TestLoopHandsNamedBackendOn(t *testing.T) {
	byIP, named := newBackend(t, "by-ip"), newBackend(t, "named")
	_, port, err := net.SplitHostPort(named.addr())
	require.NoError(t, err)
	s := startProxy(t, httpConfig(proxy.PoolConfig{
		Backends: []string{byIP.addr(), "localhost:" + port}}))
	seen := map[string]int{}
	for range 6 {
		status, body := get(t, s, "/")
		assert.Equal(t, 200, status)
		seen[body]++
	}
	assert.Equal(t, map[string]int{"by-ip": 3, "named": 3}, seen)
}

// Many clients at once, each with several requests in a row on its
// connection, all get their own answers: the loops keep each exchange's
// state apart.
func TestLoopManyClientsKeepTheirAnswers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	s := proxyTo(t, strings.TrimPrefix(srv.URL, "http://"))

	const clients, each = 40, 25
	errs := make(chan error, clients)
	for i := range clients {
		go func() {
			c, err := net.Dial("tcp", s.Addr("front").String())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(c)
			for j := range each {
				path := fmt.Sprintf("/%d/%d", i, j)
				fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
				res, err := http.ReadResponse(br, nil)
				if err != nil {
					errs <- err
					return
				}
				body, err := io.ReadAll(res.Body)
				if err == nil && string(body) != path {
					err = fmt.Errorf("asked for %s, got %q", path, body)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range clients {
		require.NoError(t, <-errs)
	}
}
