package proxy

import (
	"context"
	"fmt"
)

// This file changes a running Server: pools added and removed, route
// tables replaced, all without stopping a listener or dropping a request.
// Changes are serialised by the Server's lock; requests never take it:
// they read the route table and the backend lists through atomic
// pointers (router.go, pool.go).

// AddPool starts a new pool, checked as Validate checks the pools of a
// Config, and its health checks if it has any. Routes may use it once
// AddPool returns. It fails with ErrExists if a pool of that name runs.
func (s *Server) AddPool(cfg PoolConfig) error {
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("add pool %s: %w", cfg.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		return fmt.Errorf("add pool %s: %w", cfg.Name, ErrNotRunning)
	}
	if _, ok := s.pools[cfg.Name]; ok {
		return fmt.Errorf("add pool %s: %w", cfg.Name, ErrExists)
	}

	p := newPool(cfg)
	s.pools[cfg.Name] = p
	s.startChecker(p)
	return nil
}

// RemovePool takes a pool out of the Server. It refuses, with ErrInUse,
// while a route or a frontend sends traffic to it: move the routes
// first (SetRoutes). Otherwise it stops the pool's health checks and
// drains its backends: requests under way finish, nothing new is sent,
// and open TCP connections are closed after the pool's DrainTimeout.
// RemovePool returns once the drain is over, so the caller may then stop
// the backends themselves.
//
// A request that read the route table just before the routes moved,
// and reaches the pool only after it was removed, is routed again by
// the current table instead of failing (router.reroute).
func (s *Server) RemovePool(name string) error {
	s.mu.Lock()
	if !s.started {
		s.mu.Unlock()
		return fmt.Errorf("remove pool %s: %w", name, ErrNotRunning)
	}
	p, ok := s.pools[name]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("remove pool %s: %w", name, ErrNoPool)
	}
	if user := s.userOf(p); user != "" {
		s.mu.Unlock()
		return fmt.Errorf("remove pool %s: %w by frontend %s", name, ErrInUse, user)
	}
	delete(s.pools, name)
	if cancel, ok := s.checkers[name]; ok {
		cancel()
		delete(s.checkers, name)
	}
	s.mu.Unlock()

	p.retire()
	return nil
}

// userOf returns the name of a frontend that sends traffic to p, or "".
// The caller holds s.mu.
func (s *Server) userOf(p *Pool) string {
	for name, rt := range s.routers {
		if rt.uses(p) {
			return name
		}
	}
	for _, tf := range s.tcps {
		if tf.pool == p {
			return tf.name
		}
	}
	return ""
}

// SetRoutes replaces the routes of the HTTP frontend called frontend in
// one atomic step: each request is routed by the old table or by the
// new one, and requests under way finish where they were sent. The
// frontend's own Pool, if it has one, still takes what no route
// matches. If a route is invalid or names a pool that does not run,
// SetRoutes returns an error naming it (wrapping ErrInvalid) and
// changes nothing. routes is copied; the caller may reuse it.
func (s *Server) SetRoutes(frontend string, routes []Route) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		return fmt.Errorf("set routes of %s: %w", frontend, ErrNotRunning)
	}
	rt, ok := s.routers[frontend]
	if !ok {
		return fmt.Errorf("set routes of %s: %w", frontend, ErrNoFrontend)
	}
	names := map[string]bool{}
	for name := range s.pools {
		names[name] = true
	}
	for i, r := range routes {
		if err := r.validate(names); err != nil {
			return fmt.Errorf("set routes of %s: routes[%d]: %w", frontend, i, err)
		}
	}

	rt.set(routes, s.pools)
	return nil
}

// Routes returns the routes of the HTTP frontend called frontend, most
// specific first, as SetRoutes or the Config last set them (hosts in
// lower case, path prefixes filled in).
func (s *Server) Routes(frontend string) ([]Route, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.routers[frontend]
	if !ok {
		return nil, fmt.Errorf("routes of %s: %w", frontend, ErrNoFrontend)
	}
	return rt.table(), nil
}

// startChecker runs p's health checks, if it has any, until RemovePool
// or Shutdown cancels them. The caller holds s.mu.
func (s *Server) startChecker(p *Pool) {
	c := newChecker(p)
	if c == nil {
		return
	}
	// The checks outlive the call that starts them (Start or AddPool):
	// they hang from no caller's context, and end by their cancel func.
	ctx, cancel := context.WithCancel(context.Background())
	s.checkers[p.Name()] = cancel
	s.checks.Go(func() { c.run(ctx) })
}
