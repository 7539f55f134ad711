package nettest

import (
	"net"
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"shibafu.dev/phase0-runc/testkit"
)

// World is a namespace that plays the outside world: it is joined to the
// host by its own veth pair, on a subnet of its own, and has no route to
// any container subnet. A container can only reach it if the host
// forwards and masquerades its packets.
type World struct {
	// Netns is the world's namespace file.
	Netns string
	// Addr is the world's address; HostAddr is the host's end of the
	// link, the source a masqueraded packet arrives with.
	Addr, HostAddr netip.Addr
}

// Outside builds a World on subnet (host .1, world .2) and removes it
// when the test ends.
func Outside(t testing.TB, leaks *Leaks, subnet netip.Prefix) *World {
	t.Helper()
	w := &World{Netns: Namespace(t, leaks), HostAddr: Host(subnet, 1), Addr: Host(subnet, 2)}
	hostEnd := testkit.UniqueName("ow")
	leaks.Link(hostEnd)

	ns, err := netns.GetFromPath(w.Netns)
	if err != nil {
		t.Fatalf("open world netns: %v", err)
	}
	defer ns.Close()
	veth := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: hostEnd},
		PeerName:      "eth0",
		PeerNamespace: netlink.NsFd(ns),
	}
	if err := netlink.LinkAdd(veth); err != nil {
		t.Fatalf("add world veth: %v", err)
	}
	t.Cleanup(func() { netlink.LinkDel(veth) })
	addr := func(a netip.Addr) *netlink.Addr {
		mask := net.CIDRMask(subnet.Bits(), 32)
		return &netlink.Addr{IPNet: &net.IPNet{IP: a.AsSlice(), Mask: mask}}
	}
	must(t, netlink.AddrAdd(veth, addr(w.HostAddr)))
	must(t, netlink.LinkSetUp(veth))

	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		t.Fatalf("netlink in world: %v", err)
	}
	defer h.Close()
	for _, name := range []string{"eth0", "lo"} {
		link, err := h.LinkByName(name)
		if err != nil {
			t.Fatalf("world %s: %v", name, err)
		}
		if name == "eth0" {
			must(t, h.AddrAdd(link, addr(w.Addr)))
		}
		must(t, h.LinkSetUp(link))
	}
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
