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
	removed  atomic.Bool   // taken out of its Server by RemovePool
	mu       sync.Mutex    // serialises Set and retire; guards draining
	// draining are the backends taken out by Set that still have work
	// in flight, for InFlight.
	draining map[*backend]struct{}
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
	if p.removed.Load() {
		return fmt.Errorf("%w: %s was removed", ErrNoPool, p.Name())
	}

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
			if p.draining == nil {
				p.draining = map[*backend]struct{}{}
			}
			p.draining[b] = struct{}{}
			go func() {
				b.drain(time.Duration(p.cfg.DrainTimeout))
				p.mu.Lock()
				delete(p.draining, b)
				p.mu.Unlock()
			}()
		}
	}
	return nil
}

// InFlight counts the requests (HTTP) or connections (TCP) in flight to
// addr, whether its backend is in the pool or was taken out by Set and is
// draining. A deployer waits for it to reach 0 before it stops a server
// it took out of the pool.
func (p *Pool) InFlight(addr string) int64 {
	var n int64
	for _, b := range *p.backends.Load() {
		if b.addr == addr {
			n += b.active.Load()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for b := range p.draining {
		if b.addr == addr {
			n += b.active.Load()
		}
	}
	return n
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

// retire marks the pool removed, so that Set refuses it and requests
// that chose it from an older route table route again, then drains every
// backend and waits until they are drained.
func (p *Pool) retire() {
	p.mu.Lock()
	p.removed.Store(true)
	list := *p.backends.Load()
	p.mu.Unlock()

	var wg sync.WaitGroup
	for _, b := range list {
		wg.Go(func() { b.drain(time.Duration(p.cfg.DrainTimeout)) })
	}
	wg.Wait()
}

// pick chooses a usable backend other than skip, by the pool's policy,
// and counts it as busy; the caller calls done when the work ends. It
// returns nil if none is usable.
//
// Set may swap the list while pick reads it, and a backend may start
// draining while it is being chosen. pick counts a backend busy first
// and looks at draining after, while drain sets draining first and
// looks at the count after, so at least one of them sees the other:
// either drain waits for this request, or pick lets the backend go. It
// then chooses again from the current list (Set stores the new list
// before the old backends drain), as it does when it found none usable
// in a list that has since been replaced.
func (p *Pool) pick(skip *backend) *backend {
	for range maxPicks {
		list := p.backends.Load()
		b := p.choose(*list, skip)
		if b != nil && !b.draining.Load() {
			b.served.Add(1)
			return b
		}
		if b != nil {
			done(b)
		} else if p.backends.Load() == list {
			return nil
		}
	}
	return nil
}

// maxPicks bounds the attempts of pick while the list keeps changing
// under it: a bound that only a pool swapped many times within one pick
// would reach.
const maxPicks = 8

// choose is one attempt of pick, in list.
func (p *Pool) choose(list []*backend, skip *backend) *backend {
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
	}
	return best
}

// done ends one piece of work on b.
func done(b *backend) { b.active.Add(-1) }

// unpick gives back b, chosen by pick but not used, as if it had not
// been chosen: the pick after it chooses b again, if it is still usable
// and no other pick came in between. An event loop that hands a request
// on to the goroutine path does so, so that its pick is the one that
// counts and round-robin stays even.
func (p *Pool) unpick(b *backend) {
	done(b)
	b.served.Add(^uint64(0))
	p.next.Add(^uint64(0)) // where choose starts
}
