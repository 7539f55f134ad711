package dns

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Zone holds the registered records of every network. Its zero value
// is an empty zone kept in memory only; OpenZone gives one that keeps a
// copy in a file. A Zone is safe for concurrent use: changes are
// serialised, and queries read an immutable index without locking.
type Zone struct {
	path    string
	mu      sync.Mutex
	records map[recordKey]Record
	serial  uint32
	idx     atomic.Pointer[index]
}

// recordKey identifies a record: one name on one network.
type recordKey struct{ network, name string }

// Put adds r, or replaces the record with the same network and name.
// Names are case-insensitive (RFC 4343), so they are stored lower case.
func (z *Zone) Put(r Record) error {
	r = normalize(r)
	if err := r.Validate(); err != nil {
		return err
	}
	return z.change(func(m map[recordKey]Record) error {
		m[recordKey{r.Network, r.Name}] = r
		return nil
	})
}

// Delete removes the record of name on network.
func (z *Zone) Delete(network, name string) error {
	k := recordKey{strings.ToLower(network), strings.ToLower(name)}
	return z.change(func(m map[recordKey]Record) error {
		if _, ok := m[k]; !ok {
			return fmt.Errorf("record %s on network %s: %w", name, network, ErrNotFound)
		}
		delete(m, k)
		return nil
	})
}

// Get returns the record of name on network.
func (z *Zone) Get(network, name string) (Record, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	r, ok := z.records[recordKey{strings.ToLower(network), strings.ToLower(name)}]
	if !ok {
		return Record{}, fmt.Errorf("record %s on network %s: %w", name, network, ErrNotFound)
	}
	return r, nil
}

// List returns the records of network, or of every network when it is
// empty, sorted by network and name.
func (z *Zone) List(network string) []Record {
	z.mu.Lock()
	defer z.mu.Unlock()
	network = strings.ToLower(network)
	var list []Record
	for k, r := range z.records {
		if network == "" || k.network == network {
			list = append(list, r)
		}
	}
	slices.SortFunc(list, compareRecords)
	return list
}

// Serial is the zone's SOA serial number (RFC 1035 section 3.3.13),
// which grows by one on every change.
func (z *Zone) Serial() uint32 {
	return z.index().serial
}

// change applies edit to a copy of the records, saves the result when
// the zone has a file, and only then makes it visible to queries.
func (z *Zone) change(edit func(map[recordKey]Record) error) error {
	z.mu.Lock()
	defer z.mu.Unlock()

	next := make(map[recordKey]Record, len(z.records)+1)
	for k, r := range z.records {
		next[k] = r
	}
	if err := edit(next); err != nil {
		return err
	}
	serial := z.serial + 1
	if z.path != "" {
		if err := saveFile(z.path, serial, next); err != nil {
			return err
		}
	}

	z.records, z.serial = next, serial
	z.idx.Store(buildIndex(sortedRecords(next), serial))
	return nil
}

// index returns the current index, an empty one for a new zone.
func (z *Zone) index() *index {
	if idx := z.idx.Load(); idx != nil {
		return idx
	}
	return emptyIndex
}

var emptyIndex = buildIndex(nil, 0)

func sortedRecords(m map[recordKey]Record) []Record {
	list := make([]Record, 0, len(m))
	for _, r := range m {
		list = append(list, r)
	}
	slices.SortFunc(list, compareRecords)
	return list
}

func compareRecords(a, b Record) int {
	return cmp.Or(cmp.Compare(a.Network, b.Network), cmp.Compare(a.Name, b.Name))
}

func normalize(r Record) Record {
	r.Network = strings.ToLower(r.Network)
	r.Name = strings.ToLower(r.Name)
	r.Service = strings.ToLower(r.Service)
	r.Aliases = slices.Clone(r.Aliases)
	for i := range r.Aliases {
		r.Aliases[i] = strings.ToLower(r.Aliases[i])
	}
	r.IPs = slices.Clone(r.IPs)
	r.Ports = slices.Clone(r.Ports)
	for i := range r.Ports {
		r.Ports[i].Name = strings.ToLower(r.Ports[i].Name)
		r.Ports[i].Proto = strings.ToLower(r.Ports[i].Proto)
	}
	return r
}
