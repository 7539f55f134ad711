package dns

import (
	"net/netip"
	"slices"
	"sync"

	"github.com/miekg/dns"
)

// Views decides which network a query comes from, by the subnet its
// source address lies in, so that containers on a network see only that
// network's names, as separate "views" of one zone do in BIND. Its zero
// value has no subnets: every client then sees every name, which is
// what the host itself gets. Views is safe for concurrent use.
type Views struct {
	mu    sync.RWMutex
	views []View
}

// View ties a network to the subnet its containers' addresses come from.
type View struct {
	Network string
	Subnet  netip.Prefix
}

// Set adds a view or replaces the one of the same network.
func (v *Views) Set(view View) {
	v.mu.Lock()
	defer v.mu.Unlock()
	view.Subnet = view.Subnet.Masked()
	v.views = slices.DeleteFunc(v.views, func(o View) bool { return o.Network == view.Network })
	v.views = append(v.views, view)
}

// Remove drops the view of network.
func (v *Views) Remove(network string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.views = slices.DeleteFunc(v.views, func(o View) bool { return o.Network == network })
}

// Lookup returns the view whose subnet holds src. ok is false for a
// source on no known network, such as the host's loopback.
func (v *Views) Lookup(src netip.Addr) (_ View, ok bool) {
	if v == nil {
		return View{}, false
	}
	src = src.Unmap()
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, view := range v.views {
		if view.Subnet.Contains(src) {
			return view, true
		}
	}
	return View{}, false
}

// covering returns the view whose subnet's reverse zone holds name, a
// name under in-addr.arpa.: the server is authoritative for it.
func (v *Views) covering(name string) (_ View, ok bool) {
	if v == nil {
		return View{}, false
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, view := range v.views {
		if z := reverseZone(view.Subnet); z != "" && dns.IsSubDomain(z, name) {
			return view, true
		}
	}
	return View{}, false
}
