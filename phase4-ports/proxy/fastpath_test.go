package proxy_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// These tests hold the fast path (fastpath.go) to the framing rules of
// HTTP/1.1 (RFC 9112 section 6), over one raw client connection, so that
// a mistake shows as a hang, a short body or a confused next request.

// rawClient is one client connection to the proxy's frontend.
type rawClient struct {
	c  net.Conn
	br *bufio.Reader
}

func dialFront(t *testing.T, s *proxy.Server) *rawClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr("front").String(), 2*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawClient{c: c, br: bufio.NewReader(c)}
}

// do sends raw, a whole request, and reads the answer and its body.
func (rc *rawClient) do(t *testing.T, raw, method string) (*http.Response, string) {
	t.Helper()
	_, err := io.WriteString(rc.c, raw)
	require.NoError(t, err)
	return rc.read(t, method)
}

// read reads the final answer, passing over interim (1xx) ones: a
// client must accept any number of them (RFC 9110 section 15.2), and
// after Expect: 100-continue the net/http path may send two 100s, its
// server's own and the backend's passed on, in either order.
func (rc *rawClient) read(t *testing.T, method string) (*http.Response, string) {
	t.Helper()
	res, err := http.ReadResponse(rc.br, &http.Request{Method: method})
	for err == nil && res.StatusCode >= 100 && res.StatusCode < 200 &&
		res.StatusCode != http.StatusSwitchingProtocols {
		res, err = http.ReadResponse(rc.br, &http.Request{Method: method})
	}
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

// proxyTo runs a proxy in front of the one backend at addr.
func proxyTo(t *testing.T, addr string) *proxy.Server {
	t.Helper()
	return startProxy(t, httpConfig(proxy.PoolConfig{Backends: []string{addr}}))
}

// echoHTTP answers with the method, the transfer encoding and the body
// it read, and with trailers when asked.
func echoHTTP(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/204":
			w.WriteHeader(http.StatusNoContent)
		case "/304":
			w.WriteHeader(http.StatusNotModified)
		case "/chunked":
			w.Header().Set("Trailer", "X-Sum")
			for _, part := range []string{"one,", "two,", "three"} {
				io.WriteString(w, part)
				w.(http.Flusher).Flush()
			}
			w.Header().Set("X-Sum", "42")
		default:
			fmt.Fprintf(w, "%s %v %s", r.Method, r.TransferEncoding, body)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestFastPathFraming(t *testing.T) {
	s := proxyTo(t, echoHTTP(t))
	rc := dialFront(t, s)

	// One connection carries every case in turn: each must leave the
	// connection at the start of the next answer.
	for _, tc := range []struct {
		name, raw, method string
		status            int
		body              string
		chunked           bool
	}{
		{"length body", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
			"POST", 200, "POST [] hello", false},
		{"chunked request", "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nX-T: 1\r\n\r\n",
			"POST", 200, "POST [chunked] abcdefg", false},
		{"chunked response", "GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n",
			"GET", 200, "one,two,three", true},
		{"HEAD", "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n", "HEAD", 200, "", false},
		{"204", "GET /204 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 204, "", false},
		{"304", "GET /304 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 304, "", false},
		{"after all", "GET /x HTTP/1.1\r\nHost: a\r\n\r\n", "GET", 200, "GET [] ", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := rc.do(t, tc.raw, tc.method)
			assert.Equal(t, tc.status, res.StatusCode)
			assert.Equal(t, tc.body, body)
			if tc.chunked {
				assert.Equal(t, []string{"chunked"}, res.TransferEncoding)
				assert.Equal(t, "42", res.Trailer.Get("X-Sum"), "trailers pass through")
			}
			assert.False(t, res.Close, "the connection stays open")
		})
	}
}

func TestFastPathPipelinedRequests(t *testing.T) {
	s := proxyTo(t, echoHTTP(t))
	rc := dialFront(t, s)
	_, err := io.WriteString(rc.c, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"+
		"POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
	require.NoError(t, err)
	_, body := rc.read(t, "GET")
	assert.Equal(t, "GET [] ", body)
	_, body = rc.read(t, "POST")
	assert.Equal(t, "POST [] hi", body)
}

// rawBackend serves each accepted connection with handle.
func rawBackend(t *testing.T, handle func(c net.Conn, br *bufio.Reader)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c, bufio.NewReader(c))
			}()
		}
	}()
	return l.Addr().String()
}

func TestFastPathCloseDelimitedResponse(t *testing.T) {
	addr := rawBackend(t, func(c net.Conn, br *bufio.Reader) {
		http.ReadRequest(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\n\r\nuntil the end")
	})
	rc := dialFront(t, proxyTo(t, addr))
	res, body := rc.do(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	assert.Equal(t, "until the end", body)
	assert.True(t, res.Close, "the client learns that the connection ends")
}

// TestFastPathBackendClosesPooledConn answers one request per backend
// connection, without saying so: the proxy finds its pooled connection
// closed and must send the next request again on a new one.
func TestFastPathBackendClosesPooledConn(t *testing.T) {
	var conns atomic.Int64
	addr := rawBackend(t, func(c net.Conn, br *bufio.Reader) {
		conns.Add(1)
		if _, err := http.ReadRequest(br); err == nil {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	rc := dialFront(t, proxyTo(t, addr))
	for i := range 3 {
		res, body := rc.do(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
		require.Equal(t, http.StatusOK, res.StatusCode, "request %d", i)
		assert.Equal(t, "ok", body)
		time.Sleep(20 * time.Millisecond) // let the FIN reach the proxy
	}
	assert.EqualValues(t, 3, conns.Load())
}

func TestFastPathReusesBackendConnections(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	rc := dialFront(t, proxyTo(t, strings.TrimPrefix(srv.URL, "http://")))
	for range 20 {
		_, body := rc.do(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
		require.Equal(t, "ok", body)
	}
	assert.EqualValues(t, 1, conns.Load(), "one keep-alive connection carries them all")
}

func TestFastPathExpectContinue(t *testing.T) {
	s := proxyTo(t, echoHTTP(t))
	rc := dialFront(t, s)
	_, err := io.WriteString(rc.c, "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"+
		"Expect: 100-continue\r\n\r\n")
	require.NoError(t, err)
	line, err := rc.br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	_, err = rc.br.ReadString('\n') // the empty line after it
	require.NoError(t, err)
	_, body := rc.do(t, "data", "PUT")
	assert.Equal(t, "PUT [] data", body)
}

func TestFastPathHTTP10(t *testing.T) {
	rc := dialFront(t, proxyTo(t, echoHTTP(t)))
	res, body := rc.do(t, "GET /x HTTP/1.0\r\nHost: a\r\n\r\n", "GET")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "GET [] ", body)
}

// TestFastPathSlowClient reads a large answer slowly, and gets all of it;
// a client that stops reading is cut off after the idle timeout, and the
// backend's request count goes back to zero.
func TestFastPathSlowClient(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(big)
	}))
	t.Cleanup(srv.Close)
	cfg := httpConfig(proxy.PoolConfig{Backends: []string{strings.TrimPrefix(srv.URL, "http://")}})
	cfg.Timeouts.Idle = proxy.Duration(300 * time.Millisecond)
	s := startProxy(t, cfg)

	rc := dialFront(t, s)
	io.WriteString(rc.c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	res, err := http.ReadResponse(rc.br, nil)
	require.NoError(t, err)
	var got bytes.Buffer
	buf := make([]byte, 256<<10)
	for {
		n, err := res.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	assert.True(t, bytes.Equal(big, got.Bytes()), "all %d bytes arrive", len(big))

	stuck := dialFront(t, s)
	io.WriteString(stuck.c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	pool, err := s.Pool("web")
	require.NoError(t, err)
	eventually(t, 3*time.Second, func() bool { return pool.Status()[0].Active == 0 },
		"the stuck client's request ends")
}

// TestFastPathNoBackend answers 503 when the pool is empty, and 502 when
// its backend refuses connections, and goes on serving the connection.
func TestFastPathNoBackend(t *testing.T) {
	s := startProxy(t, httpConfig(proxy.PoolConfig{}))
	rc := dialFront(t, s)
	for range 2 {
		res, _ := rc.do(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
		assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	l.Close()
	require.NoError(t, s.SetBackends("web", []string{closed}))
	res, _ := rc.do(t, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", "POST")
	assert.Equal(t, http.StatusBadGateway, res.StatusCode)
	assert.True(t, res.Close, "the unread body ends the connection")
}

// TestFastPathBackendHeaderTimeout answers 504 when a backend takes
// longer than BackendHeader, on a pooled connection that served quick
// requests before, and lets an answer within the timeout through.
func TestFastPathBackendHeaderTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, _ := time.ParseDuration(r.URL.Query().Get("sleep"))
		time.Sleep(d)
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	cfg := httpConfig(proxy.PoolConfig{Backends: []string{strings.TrimPrefix(srv.URL, "http://")}})
	cfg.Timeouts.BackendHeader = proxy.Duration(300 * time.Millisecond)
	s := startProxy(t, cfg)

	rc := dialFront(t, s)
	res, body := rc.do(t, "GET /?sleep=0s HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "ok", body)
	time.Sleep(50 * time.Millisecond)
	res, body = rc.do(t, "GET /?sleep=200ms HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	assert.Equal(t, http.StatusOK, res.StatusCode, "within the timeout, on the pooled connection")
	assert.Equal(t, "ok", body)

	// Right after a quick answer, on the same pooled connection.
	rc.do(t, "GET /?sleep=0s HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	start := time.Now()
	res, _ = rc.do(t, "GET /?sleep=1s HTTP/1.1\r\nHost: a\r\n\r\n", "GET")
	assert.Equal(t, http.StatusGatewayTimeout, res.StatusCode)
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, 300*time.Millisecond, "not before the timeout")
	assert.Less(t, took, 800*time.Millisecond, "not long after it")
}
