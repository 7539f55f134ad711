package nettest

import (
	"net/netip"
	"sync"
	"testing"

	"github.com/vishvananda/netlink"
)

var (
	subnetMu   sync.Mutex
	subnetNext = map[byte]int{}
)

// Subnet returns a /24 in 10.SECOND.0.0/16 that no host route overlaps
// and that this process has not handed out before. Give each test package
// its own SECOND (213 for package network, 214 for sandbox, ...) so that
// packages running at the same time never pick the same subnet.
func Subnet(t testing.TB, second byte) netip.Prefix {
	t.Helper()
	subnetMu.Lock()
	defer subnetMu.Unlock()
	for subnetNext[second] < 256 {
		third := subnetNext[second]
		subnetNext[second]++
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, second, byte(third), 0}), 24)
		if !routed(t, p) {
			return p
		}
	}
	t.Fatalf("no free test subnet left in 10.%d.0.0/16", second)
	return netip.Prefix{}
}

// routed reports whether a route of the host overlaps p.
func routed(t testing.TB, p netip.Prefix) bool {
	t.Helper()
	routes, err := netlink.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		t.Fatalf("list routes: %v", err)
	}
	for _, r := range routes {
		if r.Dst == nil {
			continue
		}
		bits, _ := r.Dst.Mask.Size()
		a, ok := netip.AddrFromSlice(r.Dst.IP.To4())
		if ok && bits > 0 && netip.PrefixFrom(a, bits).Overlaps(p) {
			return true
		}
	}
	return false
}

// Host returns the n-th address of subnet p (Host(10.0.0.0/24, 2) is
// 10.0.0.2).
func Host(p netip.Prefix, n int) netip.Addr {
	a := p.Masked().Addr()
	for range n {
		a = a.Next()
	}
	return a
}
