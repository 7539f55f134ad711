package proxy

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"sort"
	"strings"
	"time"
)

// Access describes one HTTP request the proxy handled, for an access log.
type Access struct {
	// Frontend names the frontend; Backend is the HOST:PORT the request
	// went to last (empty if none was tried).
	Frontend, Backend string
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

// noteKey and note carry the chosen backend and any error from the
// RoundTripper back to the access log; only made when logging.
type noteKey struct{}

type note struct {
	backend string
	err     error
}

// newReverseProxy makes the reverse proxy of one pool: X-Forwarded-For,
// -Host and -Proto for the backend (RFC 7239 standardises them as the
// Forwarded header), the client's Host header kept, the
// backend chosen by the pool's transport.
func newReverseProxy(p *Pool, base http.RoundTripper, bufs *bufferPool) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = p.Name() // the transport puts the backend here
			pr.Out.Host = pr.In.Host
			// Append the client to the chain it brought, as nginx's
			// $proxy_add_x_forwarded_for does: only the last entry is
			// known to be true.
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
			pr.SetXForwarded()
		},
		Transport:    &transport{pool: p, base: base},
		BufferPool:   bufs,
		ErrorHandler: proxyError,
		ErrorLog:     discardLog,
	}
}

// proxyError answers a request that no backend answered: 503 if the pool
// had none up, 504 if the backend was too slow, else 502.
func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	if n, ok := r.Context().Value(noteKey{}).(*note); ok {
		n.err = err
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

// router is an HTTP frontend's handler: it finds the route of each
// request and hands it to that pool's reverse proxy.
type router struct {
	frontend string
	routes   []route // most specific first
	log      func(Access)
}

type route struct {
	Route
	pool  *Pool        // for the fast path
	proxy http.Handler // for net/http
}

// newRouter orders routes so the first match is the most specific: exact
// hosts, then wildcards (longer first), then any host; within each,
// longer path prefixes first.
func newRouter(frontend string, routes []route, log func(Access)) *router {
	for i := range routes {
		routes[i].Host = strings.ToLower(routes[i].Host)
		if routes[i].PathPrefix == "" {
			routes[i].PathPrefix = "/"
		}
	}
	rank := func(r route) (int, int) {
		switch {
		case r.Host == "":
			return 2, 0
		case strings.HasPrefix(r.Host, "*."):
			return 1, -len(r.Host)
		}
		return 0, 0
	}
	sort.SliceStable(routes, func(i, j int) bool {
		ci, li := rank(routes[i])
		cj, lj := rank(routes[j])
		if ci != cj || li != lj {
			return ci < cj || ci == cj && li < lj
		}
		return len(routes[i].PathPrefix) > len(routes[j].PathPrefix)
	})
	return &router{frontend: frontend, routes: routes, log: log}
}

// match returns the first route for a request to host (the Host field,
// port and all) and path, or nil. It takes bytes, so that the fast path
// can route without making strings.
func (rt *router) match(host, path []byte) *route {
	host = hostname(host)
	for i := range rt.routes {
		ro := &rt.routes[i]
		if hostMatches(ro.Host, host) && bytes.HasPrefix(path, []byte(ro.PathPrefix)) {
			return ro
		}
	}
	return nil
}

// hostname drops the port from a Host field, as net.SplitHostPort does.
func hostname(host []byte) []byte {
	i := bytes.LastIndexByte(host, ':')
	switch {
	case i < 0 || bytes.IndexByte(host[i:], ']') >= 0:
		return host // no port
	case host[0] == '[':
		return bytes.Trim(host[:i], "[]")
	case bytes.IndexByte(host[:i], ':') >= 0:
		return host // an IPv6 address without brackets
	}
	return host[:i]
}

// hostMatches matches "" (any), "*.example.com" (its subdomains) or an
// exact name, ignoring case.
func hostMatches(pattern string, host []byte) bool {
	if pattern == "" {
		return true
	}
	if suffix, ok := strings.CutPrefix(pattern, "*"); ok {
		return len(host) >= len(suffix) &&
			bytes.EqualFold(host[len(host)-len(suffix):], []byte(suffix))
	}
	return bytes.EqualFold(host, []byte(pattern))
}

// ServeHTTP routes one request, and reports it to the access log if the
// router has one. Without a log it adds nothing to the hot path.
func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var h http.Handler = http.NotFoundHandler()
	if ro := rt.match([]byte(r.Host), []byte(r.URL.Path)); ro != nil {
		h = ro.proxy
	}
	if rt.log == nil {
		h.ServeHTTP(w, r)
		return
	}

	start := time.Now()
	n := &note{}
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), noteKey{}, n)))
	rt.log(Access{
		Frontend: rt.frontend, Backend: n.backend, Remote: r.RemoteAddr,
		Method: r.Method, Host: r.Host, Path: r.URL.Path,
		Status: rec.status, Bytes: rec.bytes, Duration: time.Since(start), Err: n.err,
	})
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
