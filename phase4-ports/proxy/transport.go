package proxy

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// newBaseTransport is the connection pool to every backend, shared by
// all HTTP frontends. The standard library's default keeps only two idle
// connections per backend, so under load most requests would dial a new
// one; keeping many makes the proxy several times faster.
func newBaseTransport(t Timeouts) *http.Transport {
	d := &net.Dialer{Timeout: time.Duration(t.Connect), KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 nil, // never an HTTP_PROXY from the environment
		DialContext:           d.DialContext,
		MaxIdleConns:          0, // no limit overall ...
		MaxIdleConnsPerHost:   1024,
		IdleConnTimeout:       time.Duration(t.Idle),
		ResponseHeaderTimeout: time.Duration(t.BackendHeader),
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // pass bodies through as they are
		ForceAttemptHTTP2:     false,
	}
}

// transport is the net/http path's RoundTripper: it picks a backend of
// the pool the router chose for each request, retries a request that
// could not reach its backend on another one, and counts the request in
// flight until its response body is closed (for least-connections).
type transport struct {
	base http.RoundTripper
}

// maxTries bounds how many backends one request may try.
const maxTries = 3

// errNoTarget means a request reached the transport without a route,
// which the router always gives; it would be a bug.
var errNoTarget = errors.New("request without a route")

// RoundTrip sends req to a backend of its pool. req is the outgoing copy
// that ReverseProxy made, owned by the proxy, so setting its URL's host
// here is safe.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	tg, ok := req.Context().Value(targetKey{}).(*target)
	if !ok {
		return nil, errNoTarget
	}
	var last *backend
	var err error
	for range maxTries {
		b := tg.pool.pick(last)
		if b == nil {
			p := tg.router.reroute(tg.pool, []byte(req.Host), []byte(req.URL.Path))
			if p == nil {
				break
			}
			tg.pool, last = p, nil // its pool was removed meanwhile
			continue
		}
		last = b
		req.URL.Host = b.addr
		tg.backend = b.addr

		var res *http.Response
		res, err = t.base.RoundTrip(req)
		if err == nil {
			b.succeeded()
			res.Body = countBody(res.Body, b)
			return res, nil
		}
		done(b)
		if req.Context().Err() != nil {
			return nil, err // the client went away; not the backend's fault
		}
		b.failed(tg.pool.cfg.MaxFails, time.Duration(tg.pool.cfg.FailTimeout))
		if !retryable(req, err) {
			return nil, err
		}
	}
	if err == nil {
		err = ErrNoBackend
	}
	return nil, err
}

// retryable reports whether req can go to another backend: nothing of it
// was sent, because the dial failed, and it has no body to replay.
func retryable(req *http.Request, err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" &&
		(req.Body == nil || req.Body == http.NoBody)
}

// countBody wraps a response body so that closing it ends the request's
// count on b. A 101 Switching Protocols body is the raw connection
// (WebSocket); it stays writable so that ReverseProxy can tunnel it.
func countBody(body io.ReadCloser, b *backend) io.ReadCloser {
	if rwc, ok := body.(io.ReadWriteCloser); ok {
		return &countedConn{ReadWriteCloser: rwc, b: b}
	}
	return &countedBody{ReadCloser: body, b: b}
}

type countedBody struct {
	io.ReadCloser
	b    *backend
	once sync.Once
}

func (c *countedBody) Close() error {
	c.once.Do(func() { done(c.b) })
	return c.ReadCloser.Close()
}

type countedConn struct {
	io.ReadWriteCloser
	b    *backend
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { done(c.b) })
	return c.ReadWriteCloser.Close()
}

// bufferPool lends ReverseProxy its 32 KiB copy buffers, instead of one
// new buffer per request.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

// Get returns a buffer.
func (bp *bufferPool) Get() []byte { return *bp.p.Get().(*[]byte) }

// Put returns a buffer to the pool.
func (bp *bufferPool) Put(b []byte) { bp.p.Put(&b) }
