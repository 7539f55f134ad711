package proxy

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
)

// router is an HTTP frontend's routing: it finds the pool of each
// request, for the fast path (fastpath.go) and for net/http (http.go).
//
// Its route table is immutable and replaced whole by set, through an
// atomic pointer: a request loads the table once and keeps to it, so it
// sees the old routes or the new ones, never a mix, and pays one atomic
// load for it. The lock that orders changes is the Server's.
type router struct {
	frontend string
	fallback *Pool        // the frontend's Pool, for requests no route matches
	proto    string       // "http" or "https", for X-Forwarded-Proto
	log      func(Access) // the Server's AccessLog, or nil
	proxy    http.Handler // the net/http path's reverse proxy

	routes atomic.Pointer[[]route] // most specific first, fallback last
}

// route is a Route with its pool found, and its Headers written out
// once as header lines for the fast path.
type route struct {
	Route
	pool  *Pool
	extra []byte // "Name: value\r\n" for each of Headers
}

// set makes routes, with the fallback after them, the router's table.
// pools finds each route's pool; the caller has checked they exist.
func (rt *router) set(routes []Route, pools map[string]*Pool) {
	table := make([]route, 0, len(routes)+1)
	for _, r := range routes {
		r.Host = strings.ToLower(r.Host)
		if r.PathPrefix == "" {
			r.PathPrefix = "/"
		}
		table = append(table, route{Route: r, pool: pools[r.Pool], extra: headerLines(r.Headers)})
	}
	sortRoutes(table)
	if rt.fallback != nil {
		table = append(table, route{Route: Route{PathPrefix: "/", Pool: rt.fallback.Name()},
			pool: rt.fallback})
	}
	rt.routes.Store(&table)
}

// headerLines writes fields as the lines of a message head, in a fixed
// order, with canonical names.
func headerLines(fields map[string]string) []byte {
	var b []byte
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		b = fmt.Appendf(b, "%s: %s\r\n", http.CanonicalHeaderKey(name), fields[name])
	}
	return b
}

// sortRoutes orders routes so the first match is the most specific:
// exact hosts, then wildcards (longer first), then any host; within
// each, longer path prefixes first.
func sortRoutes(routes []route) {
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
}

// table returns the routes set last, without the fallback.
func (rt *router) table() []Route {
	var out []Route
	for _, r := range *rt.routes.Load() {
		out = append(out, r.Route)
	}
	if rt.fallback != nil {
		out = out[:len(out)-1]
	}
	return slices.Clip(out)
}

// uses reports whether the current table sends anything to pool p.
func (rt *router) uses(p *Pool) bool {
	return slices.ContainsFunc(*rt.routes.Load(), func(r route) bool { return r.pool == p })
}

// match returns the first route for a request to host (the Host field,
// port and all) and path, or nil. It takes bytes, so that the fast path
// can route without making strings.
func (rt *router) match(host, path []byte) *route {
	host = hostname(host)
	routes := *rt.routes.Load()
	for i := range routes {
		ro := &routes[i]
		if hostMatches(ro.Host, host) && bytes.HasPrefix(path, []byte(ro.PathPrefix)) {
			return ro
		}
	}
	return nil
}

// reroute is for a request that found no backend in pool p: if p was
// removed after the request had read an older table, it returns the
// pool the current table gives, or nil. RemovePool refuses a pool that
// the current table uses, so the answer is never p itself.
func (rt *router) reroute(p *Pool, host, path []byte) *Pool {
	if !p.removed.Load() {
		return nil
	}
	if ro := rt.match(host, path); ro != nil && ro.pool != p {
		return ro.pool
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
