package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// discardLog silences net/http's own messages (a client that hung up, a
// bad request line): a library does not log; Access reports what matters.
var discardLog = log.New(io.Discard, "", 0)

// Server runs a Config: its frontends, its pools' health checks and, if
// asked, the admin API. Set Config (and AccessLog) before Start. Once
// started, pools change through Pool or SetBackends, come and go through
// AddPool and RemovePool, and HTTP frontends get new routes through
// SetRoutes (live.go); Config stays what Start was given.
type Server struct {
	// Config is what to run; see Config for the defaults of zero fields.
	Config Config
	// AccessLog, if set, is called after each HTTP request, from the
	// request's goroutine.
	AccessLog func(Access)

	mu       sync.Mutex
	pools    map[string]*Pool
	routers  map[string]*router // HTTP frontends by name
	checkers map[string]context.CancelFunc
	checks   sync.WaitGroup
	addrs    map[string]net.Addr // frontend name -> bound address
	admin    net.Addr
	https    []*http.Server
	fronts   []*httpFrontend
	tcps     []*tcpFrontend
	started  bool
}

// Start validates the configuration, binds every listener and starts
// serving in the background. If one listener cannot be bound, none is
// left open. Start returns once every listener accepts connections.
func (s *Server) Start(ctx context.Context) (err error) {
	if err := s.Config.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("proxy: server already started")
	}

	timeouts := s.Config.Timeouts.withDefaults()
	s.pools = map[string]*Pool{}
	for _, pc := range s.Config.Pools {
		s.pools[pc.Name] = newPool(pc)
	}
	s.routers, s.checkers = map[string]*router{}, map[string]context.CancelFunc{}
	s.https, s.fronts, s.tcps = nil, nil, nil
	var lns []net.Listener
	defer func() {
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
		}
	}()
	listen := func(addr string) (net.Listener, error) {
		var lc net.ListenConfig
		l, err := lc.Listen(ctx, "tcp", addr)
		if err == nil {
			lns = append(lns, l)
		}
		return l, err
	}
	if err := s.listenAll(listen, timeouts); err != nil {
		return err
	}

	for _, p := range s.pools {
		s.startChecker(p)
	}
	s.started = true
	return nil
}

// listenAll binds the frontends and the admin API and starts their
// servers.
func (s *Server) listenAll(listen func(string) (net.Listener, error), t Timeouts) error {
	bufs := newBufferPool()
	rp := newReverseProxy(newBaseTransport(t), bufs)
	s.addrs = map[string]net.Addr{}
	type starter func()
	var starts []starter
	for _, f := range s.Config.Frontends {
		l, err := listen(f.Listen)
		if err != nil {
			return fmt.Errorf("frontend %s: %w", f.Name, err)
		}
		s.addrs[f.Name] = l.Addr()
		if f.Mode == TCP {
			tf := &tcpFrontend{name: f.Name, ln: l, pool: s.pools[f.Pool], timeouts: t, bufs: bufs,
				conns: map[net.Conn]struct{}{}}
			s.tcps = append(s.tcps, tf)
			starts = append(starts, tf.serve)
			continue
		}
		rt := &router{frontend: f.Name, fallback: s.pools[f.Pool], proto: "http",
			log: s.AccessLog, proxy: rp}
		if f.TLS != nil {
			rt.proto = "https"
		}
		rt.set(f.Routes, s.pools)
		s.routers[f.Name] = rt
		hf := newHTTPFrontend(l, rt, t, serverTLS(f.TLS))
		s.fronts = append(s.fronts, hf)
		starts = append(starts, hf.serveAll)
	}
	if s.Config.Admin != "" {
		l, err := listen(s.Config.Admin)
		if err != nil {
			return fmt.Errorf("admin: %w", err)
		}
		s.admin = l.Addr()
		hs := &http.Server{Handler: s.adminHandler(), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: discardLog}
		s.https = append(s.https, hs)
		starts = append(starts, func() { hs.Serve(l) })
	}
	for _, start := range starts {
		go start()
	}
	return nil
}

// Addr returns the address the frontend called name listens on, useful
// when it was asked for port 0; nil if there is none.
func (s *Server) Addr(name string) net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addrs[name]
}

// AdminAddr returns the admin API's address, or nil.
func (s *Server) AdminAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admin
}

// Pool returns the running pool called name.
func (s *Server) Pool(name string) (*Pool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pools[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoPool, name)
	}
	return p, nil
}

// SetBackends replaces the backends of pool name in one step; see
// Pool.Set.
func (s *Server) SetBackends(name string, addrs []string) error {
	p, err := s.Pool(name)
	if err != nil {
		return err
	}
	return p.Set(addrs)
}

// Shutdown stops accepting, waits until the requests and connections
// under way finish or ctx ends, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.started {
		s.mu.Unlock()
		return nil
	}
	s.started = false
	for _, cancel := range s.checkers {
		cancel()
	}
	https, fronts, tcps := s.https, s.fronts, s.tcps
	pools := slices.Collect(maps.Values(s.pools))
	s.mu.Unlock() // admin requests under way still need the lock

	var wg sync.WaitGroup
	errs := make([]error, len(https)+len(fronts)+len(tcps))
	for i, hs := range https {
		wg.Go(func() {
			if errs[i] = hs.Shutdown(ctx); errs[i] != nil {
				hs.Close()
			}
		})
	}
	for i, hf := range fronts {
		wg.Go(func() { errs[len(https)+i] = hf.shutdown(ctx) })
	}
	for i, tf := range tcps {
		wg.Go(func() { errs[len(https)+len(fronts)+i] = tf.shutdown(ctx) })
	}
	wg.Wait()
	s.checks.Wait()
	for _, p := range pools {
		for _, b := range *p.backends.Load() {
			b.idle.close()
		}
	}
	return errors.Join(errs...)
}
