package router

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"shibafu.dev/phase4-ports/proxy"
)

// This file adds HTTPS to the router: a second frontend that terminates
// TLS (certificates by SNI, from package certs), the answers to ACME
// HTTP-01 challenges on the HTTP port, and the per-app options to
// redirect HTTP to HTTPS and to send HSTS.
//
// The challenges and the redirects are answered by a small HTTP server
// inside the PaaS, on a loopback port, which the proxy knows as one more
// pool ("internal"). Routes send it, for every host, the paths under
// /.well-known/acme-challenge/ (a longer path prefix wins over "/"),
// and the whole host of an app that redirects.

// tlsFrontend names the router's HTTPS listener in the proxy.
const tlsFrontend = "https"

// internalPool names the pool of the router's own HTTP server.
const internalPool = "internal"

// challengePath is where ACME HTTP-01 challenges are fetched (RFC 8555
// section 8.3).
const challengePath = "/.well-known/acme-challenge/"

// hstsValue asks browsers to use only HTTPS for a year (RFC 6797). It
// leaves out includeSubDomains: the app owns its host name, not those
// under it.
const hstsValue = "max-age=31536000"

// TLSOptions are an app's HTTPS options.
type TLSOptions struct {
	// Redirect sends plain HTTP requests to HTTPS, with 308.
	Redirect bool
	// HSTS adds Strict-Transport-Security to the app's HTTPS answers.
	HSTS bool
}

// frontends returns the proxy frontends: HTTP, and HTTPS if TLSAddr is
// set.
func (r *Router) frontends() []proxy.FrontendConfig {
	fs := []proxy.FrontendConfig{{Name: frontend, Listen: r.Addr}}
	if r.TLSAddr != "" {
		fs = append(fs, proxy.FrontendConfig{Name: tlsFrontend, Listen: r.TLSAddr, TLS: r.TLS})
	}
	return fs
}

// ListeningTLS returns the address of the HTTPS listener, or nil if
// there is none.
func (r *Router) ListeningTLS() net.Addr {
	if r.TLSAddr == "" {
		return nil
	}
	return r.srv.Addr(tlsFrontend)
}

// startInternal serves the router's own HTTP server on a loopback port
// and adds it to the proxy as the internal pool.
func (r *Router) startInternal() error {
	r.options = map[string]TLSOptions{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("router: internal server: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", r.redirect)
	if r.Challenges != nil {
		mux.Handle(challengePath, r.Challenges)
	}
	r.internal = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go r.internal.Serve(ln)
	err = r.srv.AddPool(proxy.PoolConfig{Name: internalPool,
		Backends: []string{ln.Addr().String()}})
	if err != nil {
		r.internal.Close()
		return fmt.Errorf("router: %w", err)
	}
	return nil
}

// redirect answers a plain HTTP request with 308 Permanent Redirect to
// the same URL over HTTPS; 308, unlike 301, keeps the method and body.
func (r *Router) redirect(w http.ResponseWriter, req *http.Request) {
	host := req.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if _, port, err := net.SplitHostPort(r.TLSAddr); err == nil && port != "443" {
		host = net.JoinHostPort(host, port)
	}
	http.Redirect(w, req, "https://"+host+req.URL.RequestURI(), http.StatusPermanentRedirect)
}

// SetTLSOptions sets an app's HTTPS options and routes again.
func (r *Router) SetTLSOptions(app string, o TLSOptions) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o.Redirect && r.TLSAddr == "" {
		return fmt.Errorf("router: no HTTPS listener to redirect %s to", app)
	}
	r.options[app] = o
	return r.setRoutes()
}

// httpRoutes returns the HTTP frontend's routes for one host of an app:
// its challenges to the internal server, and the rest to the app's pool
// or, if it redirects, to the internal server too.
func (r *Router) httpRoutes(app, host string) []proxy.Route {
	to := pool(app)
	if r.options[app].Redirect {
		to = internalPool
	}
	return []proxy.Route{
		{Host: host, PathPrefix: challengePath, Pool: internalPool},
		{Host: host, Pool: to},
	}
}

// setTLSRoutes gives the HTTPS frontend the routes of apps, with HSTS
// where asked, and tells Names the custom domains served. The caller
// holds r.mu.
func (r *Router) setTLSRoutes(apps []string) error {
	var routes []proxy.Route
	var domains []string
	for _, app := range apps {
		var headers map[string]string
		if r.options[app].HSTS {
			headers = map[string]string{"Strict-Transport-Security": hstsValue}
		}
		for _, host := range r.apps[app] {
			routes = append(routes, proxy.Route{Host: host, Pool: pool(app), Headers: headers})
			if host != r.Host(app) {
				domains = append(domains, strings.ToLower(host))
			}
		}
	}
	if r.Names != nil {
		slices.Sort(domains)
		r.Names(domains)
	}
	if r.TLSAddr == "" {
		return nil
	}
	if err := r.srv.SetRoutes(tlsFrontend, routes); err != nil {
		return fmt.Errorf("router: %w", err)
	}
	return nil
}

// stopInternal stops the internal server.
func (r *Router) stopInternal(ctx context.Context) {
	if r.internal != nil {
		r.internal.Shutdown(ctx)
	}
}
