package proxy

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// tcpFrontend proxies whole TCP connections to a pool (layer 4): it
// never looks inside them, so any protocol passes.
type tcpFrontend struct {
	name     string
	ln       net.Listener
	pool     *Pool
	timeouts Timeouts
	bufs     *bufferPool

	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{} // client connections, closed on shutdown
}

// serve accepts connections until the listener is closed.
func (f *tcpFrontend) serve() {
	for {
		c, err := f.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			time.Sleep(10 * time.Millisecond) // out of file descriptors, say
			continue
		}
		f.wg.Go(func() { f.handle(c) })
	}
}

// handle connects the client c to a backend and copies both ways.
func (f *tcpFrontend) handle(c net.Conn) {
	defer c.Close()
	if !f.hold(c) {
		return
	}
	defer f.release(c)

	b, bc := f.dial()
	if bc == nil {
		return // no backend: closing the connection says so
	}
	defer done(b)
	defer bc.Close()
	b.track(bc)
	defer b.untrack(bc)

	idle := time.Duration(f.timeouts.Idle)
	var wg sync.WaitGroup
	wg.Go(func() { f.pipe(bc, c, idle) })
	f.pipe(c, bc, idle)
	wg.Wait()
}

// dial connects to a backend of the pool, trying others if it fails.
func (f *tcpFrontend) dial() (*backend, net.Conn) {
	var last *backend
	for range maxTries {
		b := f.pool.pick(last)
		if b == nil {
			return nil, nil
		}
		last = b
		bc, err := net.DialTimeout("tcp", b.addr, time.Duration(f.timeouts.Connect))
		if err == nil {
			b.succeeded()
			return b, bc
		}
		done(b)
		b.failed(f.pool.cfg.MaxFails, time.Duration(f.pool.cfg.FailTimeout))
	}
	return nil, nil
}

// pipe copies from src to dst until src ends or stays silent for idle,
// then half-closes dst, so the other direction can still finish.
func (f *tcpFrontend) pipe(dst, src net.Conn, idle time.Duration) {
	buf := f.bufs.Get()
	defer f.bufs.Put(buf)
	for {
		src.SetReadDeadline(time.Now().Add(idle))
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				src.Close() // a timeout or reset: end both directions
				dst.Close()
			}
			break
		}
	}
	if cw, ok := dst.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
}

// hold records a client connection, or refuses it during shutdown.
func (f *tcpFrontend) hold(c net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns == nil {
		return false
	}
	f.conns[c] = struct{}{}
	return true
}

func (f *tcpFrontend) release(c net.Conn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.conns, c)
}

// shutdown stops accepting, lets open connections finish until ctx ends,
// then closes them.
func (f *tcpFrontend) shutdown(ctx context.Context) error {
	f.ln.Close()
	finished := make(chan struct{})
	go func() { f.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
	}
	f.mu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.conns = nil
	f.mu.Unlock()
	<-finished
	return ctx.Err()
}
