package proxy

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// backend is one server of a pool. Its counters are atomic because every
// request reads them; the health checker of its pool is the only writer
// of checkPass and checkFail.
type backend struct {
	addr string
	ip   netip.AddrPort // addr, if it is given by IP; for the event loops

	active    atomic.Int64  // requests or connections in flight
	served    atomic.Uint64 // requests or connections ever sent to it
	healthy   atomic.Bool   // the active checks' verdict
	draining  atomic.Bool   // removed from its pool, finishing its work
	fails     atomic.Int32  // passive: failed attempts in a row
	downUntil atomic.Int64  // passive: out until this Unix time in ns

	checkPass, checkFail int // consecutive active check results

	mu    sync.Mutex
	conns map[net.Conn]struct{} // open TCP proxy connections, for draining

	idle idleConns // the HTTP fast path's keep-alive connections
}

func newBackend(addr string) *backend {
	b := &backend{addr: addr, conns: map[net.Conn]struct{}{}}
	b.ip, _ = netip.ParseAddrPort(addr)
	b.healthy.Store(true) // up until a check says otherwise, as in haproxy
	return b
}

// usable reports whether new work may go to b.
func (b *backend) usable() bool {
	if !b.healthy.Load() || b.draining.Load() {
		return false
	}
	d := b.downUntil.Load()
	return d == 0 || time.Now().UnixNano() >= d
}

// failed records a failed attempt (a refused or timed-out dial, a broken
// connection). maxFails in a row take b out for failTimeout.
func (b *backend) failed(maxFails int, failTimeout time.Duration) {
	if int(b.fails.Add(1)) >= maxFails {
		b.downUntil.Store(time.Now().Add(failTimeout).UnixNano())
		b.fails.Store(0)
	}
}

// succeeded clears the record of failed attempts.
func (b *backend) succeeded() {
	if b.fails.Load() != 0 {
		b.fails.Store(0)
	}
}

// track and untrack keep the set of open TCP connections to b.
func (b *backend) track(c net.Conn) {
	b.mu.Lock()
	b.conns[c] = struct{}{}
	b.mu.Unlock()
}

func (b *backend) untrack(c net.Conn) {
	b.mu.Lock()
	delete(b.conns, c)
	b.mu.Unlock()
}

// drain lets the work in flight on b finish, for at most timeout, then
// closes the TCP connections still open and the idle HTTP ones. HTTP
// requests under way hold their own connection and end by the proxy's
// timeouts.
func (b *backend) drain(timeout time.Duration) {
	b.draining.Store(true)
	deadline := time.Now().Add(timeout)
	for b.active.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	b.idle.close()
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.conns {
		c.Close()
	}
}

// BackendStatus is a backend as the Go and admin APIs report it.
type BackendStatus struct {
	// Address is the backend's HOST:PORT.
	Address string `json:"address"`
	// Up is whether new work goes to it: healthy, not taken out by
	// failures, not draining.
	Up bool `json:"up"`
	// Healthy is the verdict of the active health checks.
	Healthy bool `json:"healthy"`
	// Active counts requests (HTTP) or connections (TCP) in flight;
	// Served counts all it was ever given.
	Active int64  `json:"active"`
	Served uint64 `json:"served"`
}

func (b *backend) status() BackendStatus {
	return BackendStatus{
		Address: b.addr, Up: b.usable(), Healthy: b.healthy.Load(),
		Active: b.active.Load(), Served: b.served.Load(),
	}
}
