package network_test

import (
	"context"
	"io"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
)

// BenchmarkAttachDetach times attaching a container to a network and
// detaching it again, and reports the median as well as the mean: the
// first few rounds pay for warming caches, and a median is what
// scripts/bench-phase2.sh prints (run it with -benchtime 100x).
func BenchmarkAttachDetach(b *testing.B) {
	l := newLab(b)
	ctx := context.Background()
	n := l.network(b)
	ns := l.container(b)

	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		ep, err := l.m.Attach(ctx, n.Name, "bench", ns, network.AttachOptions{})
		require.NoError(b, err)
		require.NoError(b, l.m.Detach(ctx, n.Name, "bench"))
		times = append(times, time.Since(start))
		l.leaks.Link(ep.HostVeth)
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

// BenchmarkTCPBridge measures TCP throughput between two containers on
// one network: through two veth pairs and the bridge.
func BenchmarkTCPBridge(b *testing.B) {
	l := newLab(b)
	n := l.network(b)
	nsA, nsB := l.container(b), l.container(b)
	l.attach(b, n, "a", nsA)
	epB := l.attach(b, n, "b", nsB)
	throughput(b, nsA, nsB, epB.Address.Addr())
}

// BenchmarkTCPVeth measures TCP throughput between two namespaces joined
// by a single veth pair, the floor that BenchmarkTCPBridge is compared to.
func BenchmarkTCPVeth(b *testing.B) {
	l := newLab(b)
	nsA, nsB := l.container(b), l.container(b)
	subnet := nettest.Subnet(b, subnetOctet)
	ipA, ipB := nettest.Host(subnet, 1), nettest.Host(subnet, 2)

	a, err := netns.GetFromPath(nsA)
	require.NoError(b, err)
	defer a.Close()
	bns, err := netns.GetFromPath(nsB)
	require.NoError(b, err)
	defer bns.Close()
	// ip link add eth0 netns A type veth peer name eth0 netns B
	require.NoError(b, netlink.LinkAdd(&netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: "eth0", Namespace: netlink.NsFd(a)},
		PeerName:      "eth0",
		PeerNamespace: netlink.NsFd(bns),
	}))
	configure(b, nsA, ipA, subnet.Bits())
	configure(b, nsB, ipB, subnet.Bits())
	throughput(b, nsA, nsB, ipB)
}

// configure gives eth0 in the namespace an address and brings it up.
func configure(b *testing.B, ns string, ip netip.Addr, bits int) {
	h := handleIn(b, ns)
	link, err := h.LinkByName("eth0")
	require.NoError(b, err)
	require.NoError(b, h.AddrAdd(link, &netlink.Addr{IPNet: &net.IPNet{
		IP: ip.AsSlice(), Mask: net.CIDRMask(bits, 32)}}))
	require.NoError(b, h.LinkSetUp(link))
}

// throughput sends b.N chunks of 64 KiB over one TCP connection from the
// namespace from to a receiver at ip in the namespace to.
func throughput(b *testing.B, from, to string, ip netip.Addr) {
	const chunk = 64 << 10
	l := nettest.Listen(b, to, addr(ip, 0))
	done := make(chan int64, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- 0
			return
		}
		defer c.Close()
		n, _ := io.Copy(io.Discard, c)
		done <- n
	}()
	c, err := nettest.Dial(from, l.Addr().String(), 5*time.Second)
	require.NoError(b, err)

	buf := make([]byte, chunk)
	b.SetBytes(chunk)
	var sent int64
	for b.Loop() {
		n, err := c.Write(buf)
		require.NoError(b, err)
		sent += int64(n)
	}
	c.Close()
	require.Equal(b, sent, <-done, "the receiver got every byte")
}
