package proxy

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Pool is a named set of backends and the way to choose among them. Its
// backend list is swapped whole by Set, so a request sees either the old
// list or the new one, never a mix.
type Pool struct {
	cfg      PoolConfig // with defaults; Backends is not used after New
	backends atomic.Pointer[[]*backend]
	next     atomic.Uint64 // round-robin position
	mu       sync.Mutex    // serialises Set
}

// newPool makes a pool from its configuration, defaults filled in.
func newPool(cfg PoolConfig) *Pool {
	p := &Pool{cfg: cfg.withDefaults()}
	list := make([]*backend, 0, len(cfg.Backends))
	for _, addr := range cfg.Backends {
		if !slices.ContainsFunc(list, func(b *backend) bool { return b.addr == addr }) {
			list = append(list, newBackend(addr))
		}
	}
	p.backends.Store(&list)
	return p
}

// Name returns the pool's name.
func (p *Pool) Name() string { return p.cfg.Name }

// Set replaces the pool's backends with addrs in one step. Backends that
// stay keep their state (health, counters); new ones start up; removed
// ones drain: work in flight finishes, nothing new is sent, and open TCP
// connections are closed after the pool's DrainTimeout.
func (p *Pool) Set(addrs []string) error {
	for _, a := range addrs {
		if err := CheckAddr(a, false); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()

	old := *p.backends.Load()
	list := make([]*backend, 0, len(addrs))
	for _, addr := range addrs {
		if slices.ContainsFunc(list, func(b *backend) bool { return b.addr == addr }) {
			continue
		}
		i := slices.IndexFunc(old, func(b *backend) bool { return b.addr == addr })
		if i >= 0 {
			list = append(list, old[i])
		} else {
			list = append(list, newBackend(addr))
		}
	}
	p.backends.Store(&list)

	for _, b := range old {
		if !slices.Contains(list, b) {
			go b.drain(time.Duration(p.cfg.DrainTimeout))
		}
	}
	return nil
}

// Add puts one backend into the pool, keeping the others.
func (p *Pool) Add(addr string) error {
	return p.Set(append(p.addrs(), addr))
}

// Remove takes one backend out of the pool; it drains as in Set.
func (p *Pool) Remove(addr string) error {
	addrs := p.addrs()
	i := slices.Index(addrs, addr)
	if i < 0 {
		return fmt.Errorf("%w: backend %s is not in pool %s", ErrNoBackend, addr, p.Name())
	}
	return p.Set(slices.Delete(addrs, i, i+1))
}

func (p *Pool) addrs() []string {
	var addrs []string
	for _, b := range *p.backends.Load() {
		addrs = append(addrs, b.addr)
	}
	return addrs
}

// Status reports every backend of the pool, in order.
func (p *Pool) Status() []BackendStatus {
	list := *p.backends.Load()
	out := make([]BackendStatus, len(list))
	for i, b := range list {
		out[i] = b.status()
	}
	return out
}

// pick chooses a usable backend other than skip, by the pool's policy,
// and counts it as busy; the caller calls done when the work ends. It
// returns nil if none is usable.
func (p *Pool) pick(skip *backend) *backend {
	list := *p.backends.Load()
	n := uint64(len(list))
	if n == 0 {
		return nil
	}
	start := p.next.Add(1) - 1
	var best *backend
	for i := range n {
		b := list[(start+i)%n]
		if b == skip || !b.usable() {
			continue
		}
		if p.cfg.Balance == RoundRobin {
			best = b
			break
		}
		// Least connections; starting at a rotating place spreads ties.
		if best == nil || b.active.Load() < best.active.Load() {
			best = b
		}
	}
	if best != nil {
		best.active.Add(1)
		best.served.Add(1)
	}
	return best
}

// done ends one piece of work on b.
func done(b *backend) { b.active.Add(-1) }
