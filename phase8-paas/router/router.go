// Package router is the PaaS's front door: the phase 4 proxy, with one
// HTTP listener for every app, routing each request by its Host to the
// pool of the app's web replicas. An app answers at APP.DOMAIN
// (APP.shibafu.localhost by default) and at its custom domains. With
// TLSAddr set it serves HTTPS too, and answers ACME challenges (tls.go).
//
// The router only moves traffic; it does not decide where. The deployer
// (package deploy) checks new replicas and then calls SetBackends, which
// swaps the whole pool in one step: a request is sent either to the old
// replicas or to the new ones, never lost in between, and the old ones
// are drained of the connections they still hold.
package router

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"shibafu.dev/phase4-ports/proxy"
)

// frontend names the router's one HTTP listener in the proxy.
const frontend = "http"

// DefaultDomain is the domain apps are served under. Names under
// .localhost resolve to the loopback address on most systems (RFC 6761),
// so APP.shibafu.localhost works from the host with no DNS set up.
const DefaultDomain = "shibafu.localhost"

// Router routes HTTP requests to apps. Set the fields, then Start.
type Router struct {
	// Addr is where it listens, such as ":80" or "127.0.0.1:0".
	Addr string
	// Domain is the domain apps are served under; empty means
	// DefaultDomain.
	Domain string
	// AccessLog, if set, is told of every request.
	AccessLog func(proxy.Access)
	// TLSAddr, if set, is where the router serves HTTPS, with TLS (its
	// GetCertificate chooses by SNI). See tls.go.
	TLSAddr string
	TLS     *tls.Config
	// Challenges, if set, answers ACME HTTP-01 challenges: every
	// request under /.well-known/acme-challenge/, whatever its host.
	Challenges http.Handler
	// Names, if set, is told the custom domains served after each change,
	// for a certificate manager. It is called with the router's lock
	// held, so it must not wait, nor call the router.
	Names func(domains []string)

	srv      *proxy.Server
	mu       sync.Mutex
	apps     map[string][]string   // app -> its host names
	options  map[string]TLSOptions // app -> its HTTPS options
	internal *http.Server          // answers challenges and redirects
}

// Start binds the listener and starts serving. Until an app is added,
// every request gets 404.
func (r *Router) Start(ctx context.Context) error {
	r.apps = map[string][]string{}
	r.srv = &proxy.Server{
		Config: proxy.Config{
			Frontends: r.frontends(),
			Timeouts: proxy.Timeouts{
				Connect: proxy.Duration(2 * time.Second),
			},
		},
		AccessLog: r.AccessLog,
	}
	if err := r.srv.Start(ctx); err != nil {
		return fmt.Errorf("router: %w", err)
	}
	return r.startInternal()
}

// Listening returns the address the router listens on.
func (r *Router) Listening() net.Addr { return r.srv.Addr(frontend) }

// Host returns the host name an app is served at under the domain.
func (r *Router) Host(app string) string {
	domain := r.Domain
	if domain == "" {
		domain = DefaultDomain
	}
	return app + "." + domain
}

// URL returns the URL an app is served at: its host name, with the
// router's port unless it is HTTP's own, 80.
func (r *Router) URL(app string) string {
	url := "http://" + r.Host(app)
	if addr, ok := r.Listening().(*net.TCPAddr); ok && addr.Port != 80 {
		url += ":" + strconv.Itoa(addr.Port)
	}
	return url
}

// pool names the proxy pool of an app's web replicas.
func pool(app string) string { return "app-" + app }

// SetApp routes the app's host name and domains to its pool, making the
// pool (empty) if the app is new. It replaces the whole route table in
// one step.
func (r *Router) SetApp(app string, domains []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.apps[app]; !ok {
		err := r.srv.AddPool(proxy.PoolConfig{
			Name: pool(app),
			// Passive checks only: a replica that fails requests is set
			// aside for a while. The deployer checks new replicas
			// before they get any traffic.
			MaxFails:     2,
			FailTimeout:  proxy.Duration(5 * time.Second),
			DrainTimeout: proxy.Duration(30 * time.Second),
		})
		if err != nil {
			return fmt.Errorf("router: %w", err)
		}
	}
	r.apps[app] = append([]string{r.Host(app)}, domains...)
	return r.setRoutes()
}

// RemoveApp stops routing to an app and drops its pool.
func (r *Router) RemoveApp(app string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.apps[app]; !ok {
		return nil
	}
	delete(r.apps, app)
	delete(r.options, app)
	if err := r.setRoutes(); err != nil {
		return err
	}
	if err := r.srv.RemovePool(pool(app)); err != nil {
		return fmt.Errorf("router: %w", err)
	}
	return nil
}

// setRoutes gives the proxy the route table of every app.
func (r *Router) setRoutes() error {
	var routes []proxy.Route
	names := make([]string, 0, len(r.apps))
	for app := range r.apps {
		names = append(names, app)
	}
	sort.Strings(names)
	for _, app := range names {
		for _, host := range r.apps[app] {
			routes = append(routes, r.httpRoutes(app, host)...)
		}
	}
	if err := r.srv.SetRoutes(frontend, routes); err != nil {
		return fmt.Errorf("router: %w", err)
	}
	return r.setTLSRoutes(names)
}

// SetBackends makes addrs (IP:PORT of web replicas) the app's whole
// pool, in one step.
func (r *Router) SetBackends(app string, addrs []string) error {
	if err := r.srv.SetBackends(pool(app), addrs); err != nil {
		return fmt.Errorf("router: %w", err)
	}
	return nil
}

// Backends returns the addresses in the app's pool.
func (r *Router) Backends(app string) []string {
	p, err := r.srv.Pool(pool(app))
	if err != nil {
		return nil
	}
	var addrs []string
	for _, b := range p.Status() {
		addrs = append(addrs, b.Address)
	}
	slices.Sort(addrs)
	return addrs
}

// Shutdown stops the router, letting requests under way finish until ctx
// ends.
func (r *Router) Shutdown(ctx context.Context) error {
	if r.srv == nil {
		return nil
	}
	defer r.stopInternal(ctx)
	return r.srv.Shutdown(ctx)
}

// InFlight counts the requests in flight to addrs through the app's
// pool, including those to replicas already taken out of it.
func (r *Router) InFlight(app string, addrs []string) int64 {
	p, err := r.srv.Pool(pool(app))
	if err != nil {
		return 0
	}
	var n int64
	for _, addr := range addrs {
		n += p.InFlight(addr)
	}
	return n
}
