package ipam

import (
	"errors"
	"fmt"
	"net/netip"
	"os"

	"shibafu.dev/phase0-runc/statefile"
)

// Errors that Allocate and Release wrap, for errors.Is.
var (
	// ErrExhausted means every host address of the subnet is taken.
	ErrExhausted = errors.New("no free address")
	// ErrTaken means a requested static address belongs to someone else.
	ErrTaken = errors.New("address already allocated")
	// ErrNotAllocated means a released address was not allocated.
	ErrNotAllocated = errors.New("address not allocated")
)

// Pool allocates the host addresses of one subnet, keeping the record in
// a JSON file. A Pool holds nothing in memory between calls: two Pools
// (in one process or in two) on the same file share its addresses.
type Pool struct {
	file    string
	subnet  netip.Prefix
	gateway netip.Addr
}

// record is the content of a pool's file.
type record struct {
	Subnet netip.Prefix `json:"subnet"`
	// Allocations maps each address handed out to its owner, a free-form
	// name such as "NETWORK/CONTAINER".
	Allocations map[netip.Addr]string `json:"allocations"`
}

// New returns the pool of subnet stored in file (created on first
// allocation), with gateway reserved. The file's lock is file+".lock".
func New(file string, subnet netip.Prefix, gateway netip.Addr) (*Pool, error) {
	if err := CheckSubnet(subnet); err != nil {
		return nil, err
	}
	if !IsHost(subnet, gateway) {
		return nil, fmt.Errorf("gateway %s is not a host address of %s", gateway, subnet)
	}
	return &Pool{file: file, subnet: subnet, gateway: gateway}, nil
}

// Allocate hands out an address to owner: want if it is valid (a static
// address), or the lowest free one if want is the zero Addr.
func (p *Pool) Allocate(owner string, want netip.Addr) (netip.Addr, error) {
	var got netip.Addr
	err := p.update(func(r *record) error {
		if want.IsValid() {
			if err := p.claim(r, want, owner); err != nil {
				return err
			}
			got = want
			return nil
		}
		for a := FirstHost(p.subnet); IsHost(p.subnet, a); a = a.Next() {
			if _, used := r.Allocations[a]; !used && a != p.gateway {
				r.Allocations[a] = owner
				got = a
				return nil
			}
		}
		return fmt.Errorf("allocate in %s: %w", p.subnet, ErrExhausted)
	})
	return got, err
}

// claim records a static address, if it is free and usable.
func (p *Pool) claim(r *record, want netip.Addr, owner string) error {
	if !IsHost(p.subnet, want) {
		return fmt.Errorf("address %s is not a host address of %s", want, p.subnet)
	}
	if want == p.gateway {
		return fmt.Errorf("address %s is the gateway: %w", want, ErrTaken)
	}
	if holder, used := r.Allocations[want]; used {
		return fmt.Errorf("address %s (held by %s): %w", want, holder, ErrTaken)
	}
	r.Allocations[want] = owner
	return nil
}

// Release gives addr back to the pool.
func (p *Pool) Release(addr netip.Addr) error {
	return p.update(func(r *record) error {
		if _, used := r.Allocations[addr]; !used {
			return fmt.Errorf("release %s: %w", addr, ErrNotAllocated)
		}
		delete(r.Allocations, addr)
		return nil
	})
}

// Allocations returns every address handed out, with its owner.
func (p *Pool) Allocations() (map[netip.Addr]string, error) {
	lock, err := statefile.Lock(p.file + ".lock")
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	r, err := p.load()
	return r.Allocations, err
}

// update runs change on the record under the pool's lock and saves the
// result if change succeeds. This lock-read-modify-write cycle is what
// makes the pool safe for concurrent processes.
func (p *Pool) update(change func(*record) error) error {
	lock, err := statefile.Lock(p.file + ".lock")
	if err != nil {
		return err
	}
	defer lock.Close()

	r, err := p.load()
	if err != nil {
		return err
	}
	if err := change(&r); err != nil {
		return err
	}
	return statefile.WriteJSON(p.file, r)
}

// load reads the record; a missing file is an empty pool.
func (p *Pool) load() (record, error) {
	r := record{Subnet: p.subnet, Allocations: map[netip.Addr]string{}}
	err := statefile.ReadJSON(p.file, &r)
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("read pool: %w", err)
	}
	if r.Subnet != p.subnet {
		return r, fmt.Errorf("pool %s holds subnet %s, not %s", p.file, r.Subnet, p.subnet)
	}
	if r.Allocations == nil {
		r.Allocations = map[netip.Addr]string{}
	}
	return r, nil
}
