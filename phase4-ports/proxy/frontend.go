package proxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// httpFrontend serves one HTTP frontend. It accepts the connections
// itself and serves each on the fast path (fastpath.go); a connection
// that brings something the fast path leaves alone is handed, with the
// bytes already read, to slow, a net/http server running the
// ReverseProxy of http.go, which keeps it to its end. An HTTPS frontend
// does the TLS handshake first, then serves the decrypted connection
// the same way.
type httpFrontend struct {
	ln       net.Listener
	router   *router
	timeouts Timeouts
	tls      *tls.Config // nil for plain HTTP
	slow     *http.Server
	handoff  *handoff

	loops   *loopGroup // the event loops of a plain-HTTP frontend (loop.go)
	closing atomic.Bool
	stopped chan struct{} // closed when serveAll returns
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[*clientConn]struct{} // on the fast path, for Shutdown
}

func newHTTPFrontend(ln net.Listener, rt *router, t Timeouts, tc *tls.Config) *httpFrontend {
	f := &httpFrontend{ln: ln, router: rt, timeouts: t, tls: tc,
		conns:   map[*clientConn]struct{}{},
		stopped: make(chan struct{}),
		handoff: &handoff{conns: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()}}
	f.slow = &http.Server{
		Handler:           rt,
		ReadHeaderTimeout: time.Duration(t.ClientHeader),
		IdleTimeout:       time.Duration(t.Idle),
		ErrorLog:          discardLog,
		// No WriteTimeout: it would cut streaming responses short.
	}
	return f
}

// serveAll starts the event loops of a plain-HTTP frontend, which
// accept connections themselves, and returns; or, on an HTTPS frontend,
// accepts connections for the goroutine path until the listener is
// closed.
func (f *httpFrontend) serveAll() {
	defer close(f.stopped)
	go f.slow.Serve(f.handoff)
	if f.tls == nil {
		if g, err := startLoops(f); err == nil && g != nil {
			f.loops = g
			return
		}
	}
	for {
		c, err := f.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			time.Sleep(10 * time.Millisecond) // out of file descriptors, say
			continue
		}
		f.wg.Go(func() { f.serve(c, nil) })
	}
}

// hold records cc as open, or refuses it during Shutdown.
func (f *httpFrontend) hold(cc *clientConn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closing.Load() {
		return false
	}
	f.conns[cc] = struct{}{}
	return true
}

func (f *httpFrontend) release(cc *clientConn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.conns, cc)
}

// handOver gives connection c, whose next bytes wait in br, to net/http.
func (f *httpFrontend) handOver(c net.Conn, br *bufio.Reader) {
	c.SetDeadline(time.Time{}) // net/http sets its own
	f.handoff.give(&bufferedConn{Conn: c, br: br})
}

// shutdown stops accepting, closes idle connections, lets the requests
// under way finish until ctx ends, then closes what is left.
func (f *httpFrontend) shutdown(ctx context.Context) error {
	f.closing.Store(true)
	f.ln.Close()
	f.handoff.Close() // in case slow.Serve has not registered it yet
	<-f.stopped       // no more f.wg.Go after this, but from the loops
	if f.loops != nil {
		f.loops.tell(loopCloseIdle)
		// Loops hand connections to f.wg only while they count them,
		// and closeConns waits until they count none.
		defer f.loops.stop()
	}
	slowErr := make(chan error, 1)
	go func() { slowErr <- f.slow.Shutdown(ctx) }()

	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var err error
	for f.closeConns(false) > 0 && err == nil {
		select {
		case <-ctx.Done():
			err = ctx.Err()
			f.closeConns(true)
		case <-tick.C:
		}
	}
	f.wg.Wait()
	if serr := <-slowErr; serr != nil {
		f.slow.Close()
		err = errors.Join(err, serr)
	}
	return err
}

// closeConns closes the fast path's idle connections, or all of them,
// and returns how many were open.
func (f *httpFrontend) closeConns(all bool) int {
	n := 0
	if f.loops != nil {
		if all {
			f.loops.tell(loopCloseAll)
		}
		n = f.loops.open()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for cc := range f.conns {
		if all || cc.idle.Load() {
			cc.raw.Close()
		}
	}
	return n + len(f.conns)
}

// handoff is the listener through which the fast path gives connections
// to net/http's server.
type handoff struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	addr  net.Addr
}

// give passes c to the server, or closes it if the server has stopped.
func (h *handoff) give(c net.Conn) {
	select {
	case h.conns <- c:
	case <-h.done:
		c.Close()
	}
}

// Accept returns the next connection handed over.
func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.conns:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept.
func (h *handoff) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

// Addr is the frontend's address.
func (h *handoff) Addr() net.Addr { return h.addr }

// bufferedConn is a connection whose first bytes were already read into
// br: reads come from br, which passes them on and then reads c.
type bufferedConn struct {
	net.Conn
	br *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.br.Read(p) }

// serverTLS is the TLS configuration of an HTTPS frontend: cfg without
// "h2" among its ALPN protocols, also in the configurations its
// GetConfigForClient returns, since both paths speak HTTP/1.1 over the
// decrypted connection. Other protocols, such as ACME's "acme-tls/1",
// stay. It returns nil for nil.
func serverTLS(cfg *tls.Config) *tls.Config {
	if cfg == nil {
		return nil
	}
	cfg = withoutH2(cfg)
	if get := cfg.GetConfigForClient; get != nil {
		cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			c, err := get(hello)
			if c == nil || err != nil {
				return c, err
			}
			return withoutH2(c), nil
		}
	}
	return cfg
}

// withoutH2 returns a copy of cfg whose ALPN list has no "h2", and has
// "http/1.1" if it names any protocol.
func withoutH2(cfg *tls.Config) *tls.Config {
	cfg = cfg.Clone()
	cfg.NextProtos = slices.DeleteFunc(slices.Clone(cfg.NextProtos),
		func(p string) bool { return p == "h2" })
	if len(cfg.NextProtos) > 0 && !slices.Contains(cfg.NextProtos, "http/1.1") {
		cfg.NextProtos = append(cfg.NextProtos, "http/1.1")
	}
	return cfg
}

// handshake does the TLS handshake of an HTTPS frontend's connection c
// within the client header timeout, and returns the decrypted
// connection; for plain HTTP it returns c.
func (f *httpFrontend) handshake(c net.Conn) (net.Conn, error) {
	if f.tls == nil {
		return c, nil
	}
	tc := tls.Server(c, f.tls)
	tc.SetDeadline(time.Now().Add(time.Duration(f.timeouts.ClientHeader)))
	if err := tc.Handshake(); err != nil {
		return nil, fmt.Errorf("tls handshake: %w", err)
	}
	tc.SetDeadline(time.Time{}) // each step sets its own from here
	return tc, nil
}
