package proxy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"time"
)

// Access describes one HTTP request the proxy handled, for an access log.
type Access struct {
	// Frontend names the frontend; Pool names the pool the request was
	// routed to (empty if no route matched); Backend is the HOST:PORT
	// the request went to last (empty if none was tried).
	Frontend, Pool, Backend string
	// Remote is the client's address; Method, Host and Path are the
	// request's.
	Remote, Method, Host, Path string
	// Status is the status sent to the client, Bytes the body bytes.
	Status int
	Bytes  int64
	// Duration runs from the request's headers to the end of the answer.
	Duration time.Duration
	// Err is why the proxy answered with an error itself, if it did.
	Err error
}

// targetKey and target carry a request's route on the net/http path,
// from the router to the RoundTripper, and the chosen backend and any
// error back to the access log.
type targetKey struct{}

type target struct {
	router  *router
	pool    *Pool
	headers map[string]string // the route's Headers
	backend string
	err     error
}

// newReverseProxy makes the net/http path's reverse proxy, shared by the
// HTTP frontends: X-Forwarded-For, -Host and -Proto for the backend (RFC
// 7239 standardises them as the Forwarded header), the client's Host
// header kept, the backend chosen by the transport from the pool the
// router put in the request's context.
func newReverseProxy(base http.RoundTripper, bufs *bufferPool) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = "backend" // the transport puts the backend here
			pr.Out.Host = pr.In.Host
			// Append the client to the chain it brought, as nginx's
			// $proxy_add_x_forwarded_for does: only the last entry is
			// known to be true.
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
			pr.SetXForwarded()
			// A TLS frontend's connections reach net/http already
			// decrypted, so it cannot tell; the router can.
			if tg, ok := pr.In.Context().Value(targetKey{}).(*target); ok {
				pr.Out.Header.Set("X-Forwarded-Proto", tg.router.proto)
			}
		},
		ModifyResponse: func(resp *http.Response) error {
			if tg, ok := resp.Request.Context().Value(targetKey{}).(*target); ok {
				for name, value := range tg.headers {
					resp.Header.Set(name, value)
				}
			}
			return nil
		},
		Transport:    &transport{base: base},
		BufferPool:   bufs,
		ErrorHandler: proxyError,
		ErrorLog:     discardLog,
	}
}

// proxyError answers a request that no backend answered: 503 if the pool
// had none up, 504 if the backend was too slow, else 502.
func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	if tg, ok := r.Context().Value(targetKey{}).(*target); ok {
		tg.err = err
	}
	status := http.StatusBadGateway
	var ne net.Error
	switch {
	case errors.Is(err, ErrNoBackend):
		status = http.StatusServiceUnavailable
	case errors.As(err, &ne) && ne.Timeout():
		status = http.StatusGatewayTimeout
	}
	w.WriteHeader(status)
}

// ServeHTTP routes one request on the net/http path, answering 404 if no
// route matches, and reports it to the access log if the router has one.
func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var h http.Handler = http.NotFoundHandler()
	tg := &target{router: rt}
	if ro := rt.match([]byte(r.Host), []byte(r.URL.Path)); ro != nil {
		h, tg.pool, tg.headers = rt.proxy, ro.pool, ro.Headers
		r = r.WithContext(context.WithValue(r.Context(), targetKey{}, tg))
	}
	if rt.log == nil {
		h.ServeHTTP(w, r)
		return
	}

	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(rec, r)
	acc := Access{
		Frontend: rt.frontend, Backend: tg.backend, Remote: r.RemoteAddr,
		Method: r.Method, Host: r.Host, Path: r.URL.Path,
		Status: rec.status, Bytes: rec.bytes, Duration: time.Since(start), Err: tg.err,
	}
	if tg.pool != nil {
		acc.Pool = tg.pool.Name()
	}
	rt.log(acc)
}

// recorder notes the status and size of a response. Unwrap lets
// http.ResponseController reach the writer's Flush and Hijack, which
// streaming and WebSocket responses need.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
