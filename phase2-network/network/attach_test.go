package network_test

import (
	"context"
	"net"
	"net/netip"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/network"
)

func TestAttachConfiguresContainer(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	ns := l.container(t)

	ep := l.attach(t, n, "c1", ns)
	assert.Equal(t, "eth0", ep.Interface)
	assert.Equal(t, netip.PrefixFrom(n.Gateway.Next(), 24), ep.Address)
	assert.Equal(t, network.MACFor(ep.Address.Addr()).String(), ep.MAC)

	h := handleIn(t, ns)
	eth0, err := h.LinkByName("eth0")
	require.NoError(t, err)
	assert.Equal(t, ep.MAC, eth0.Attrs().HardwareAddr.String())
	assert.NotZero(t, eth0.Attrs().Flags&net.FlagUp, "eth0 is up")
	addrs, err := h.AddrList(eth0, netlink.FAMILY_V4)
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, ep.Address.String(), addrs[0].IPNet.String())
	lo, err := h.LinkByName("lo")
	require.NoError(t, err)
	assert.NotZero(t, lo.Attrs().Flags&net.FlagUp, "lo is up")
	assert.Equal(t, n.Gateway.String(), defaultGateway(t, h))

	hostEnd, err := netlink.LinkByName(ep.HostVeth)
	require.NoError(t, err)
	br, err := netlink.LinkByName(n.Bridge)
	require.NoError(t, err)
	assert.Equal(t, br.Attrs().Index, hostEnd.Attrs().MasterIndex, "host end is on the bridge")
}

func TestDetachFreesEverything(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	n := l.network(t)
	ns := l.container(t)

	ep, err := l.m.Attach(ctx, n.Name, "c1", ns, network.AttachOptions{})
	require.NoError(t, err)
	l.leaks.Link(ep.HostVeth)
	require.NoError(t, l.m.Detach(ctx, n.Name, "c1"))

	_, err = netlink.LinkByName(ep.HostVeth)
	assert.Error(t, err, "host end deleted")
	_, err = handleIn(t, ns).LinkByName("eth0")
	assert.Error(t, err, "container end deleted with it")
	eps, err := l.m.Endpoints(ctx, n.Name)
	require.NoError(t, err)
	assert.Empty(t, eps)

	again := l.attach(t, n, "c2", ns)
	assert.Equal(t, ep.Address, again.Address, "the freed address comes back")

	err = l.m.Detach(ctx, n.Name, "c1")
	assert.ErrorIs(t, err, network.ErrNotAttached)
	assert.EqualError(t, err, "container c1 is not attached to network "+n.Name)
}

// TestBridgeKeepsItsMAC checks that the bridge's MAC address does not
// follow its ports: if it did, a container leaving the network could
// change it under its neighbours' ARP caches and cut them off from the
// gateway.
func TestBridgeKeepsItsMAC(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	n := l.network(t)
	mac := func() string {
		br, err := netlink.LinkByName(n.Bridge)
		require.NoError(t, err)
		return br.Attrs().HardwareAddr.String()
	}
	want := network.MACFor(n.Gateway).String()
	assert.Equal(t, want, mac())

	l.attach(t, n, "stay", l.container(t))
	ep, err := l.m.Attach(ctx, n.Name, "leave", l.container(t), network.AttachOptions{})
	require.NoError(t, err)
	l.leaks.Link(ep.HostVeth)
	require.NoError(t, l.m.Detach(ctx, n.Name, "leave"))
	assert.Equal(t, want, mac(), "the bridge's MAC is the same after ports come and go")
}

func TestAttachStaticAddress(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	want := n.Subnet.Addr().Next().Next().Next().Next() // .4

	ep, err := l.m.Attach(context.Background(), n.Name, "web", l.container(t),
		network.AttachOptions{IP: want})
	require.NoError(t, err)
	l.leaks.Link(ep.HostVeth)
	t.Cleanup(func() { l.m.Detach(context.Background(), n.Name, "web") })
	assert.Equal(t, want, ep.Address.Addr())

	_, err = l.m.Attach(context.Background(), n.Name, "other", l.container(t),
		network.AttachOptions{IP: want})
	assert.ErrorContains(t, err, "address "+want.String()+" (held by "+n.Name+"/web)")
}

func TestAttachByPID(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	n := l.network(t)

	// A process in a network namespace of its own, as a container is.
	cmd := exec.Command("unshare", "--net", "sleep", "60")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitNewNetns(t, cmd.Process.Pid)

	ep := l.attach(t, n, "bypid", network.PIDNamespace(cmd.Process.Pid))
	assert.Equal(t, "eth0", ep.Interface)
	out := testkit.Run(t, "nsenter", "--net="+network.PIDNamespace(cmd.Process.Pid),
		"ip", "-4", "-o", "addr", "show", "eth0")
	assert.Contains(t, out, ep.Address.String())

	// Once the container is gone, so is its end of the pair; detaching
	// still works and frees the address.
	cmd.Process.Kill()
	cmd.Wait()
	require.NoError(t, l.m.Detach(ctx, n.Name, "bypid"))
	_, err := netlink.LinkByName(ep.HostVeth)
	assert.Error(t, err)
}

func TestAttachRefusesBadInput(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	n := l.network(t)
	ns := l.container(t)
	l.attach(t, n, "c1", ns)

	tests := []struct {
		name, network, id, netns string
		is                       error
		msg                      string
	}{
		{"unknown network", "nosuchnet", "c2", ns, network.ErrNotFound,
			"no such network: nosuchnet"},
		{"twice", n.Name, "c1", ns, network.ErrExists,
			"container c1 on network " + n.Name + ": already exists"},
		{"bad id", n.Name, "../c", ns, nil, "invalid container ID"},
		{"missing netns", n.Name, "c3", "/proc/999999999/ns/net", nil,
			"open netns /proc/999999999/ns/net: no such file or directory"},
		{"not a netns", n.Name, "c4", filepath.Join(l.m.Root, "networks", "lock"),
			network.ErrInvalid, "not a namespace file"},
		{"host netns", n.Name, "c5", "/proc/self/ns/net", network.ErrInvalid,
			"it is the host's own namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.m.Attach(ctx, tt.network, tt.id, tt.netns, network.AttachOptions{})
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.ErrorContains(t, err, tt.msg)
			eps, err := l.m.Endpoints(ctx, n.Name)
			require.NoError(t, err)
			assert.Len(t, eps, 1, "a refused attach changes nothing")
		})
	}

	err := l.m.Detach(ctx, "nosuchnet", "c1")
	assert.ErrorIs(t, err, network.ErrNotFound)
	err = l.m.Remove(ctx, n.Name)
	assert.ErrorIs(t, err, network.ErrInUse)
	assert.ErrorContains(t, err, "by 1 container(s), first c1: disconnect them first")
}

// handleIn returns a netlink handle bound to the namespace at path.
func handleIn(t testing.TB, path string) *netlink.Handle {
	t.Helper()
	ns, err := netns.GetFromPath(path)
	require.NoError(t, err)
	t.Cleanup(func() { ns.Close() })
	h, err := netlink.NewHandleAt(ns)
	require.NoError(t, err)
	t.Cleanup(h.Close)
	return h
}

// defaultGateway returns the gateway of the namespace's default route, or
// "" if it has none.
func defaultGateway(t testing.TB, h *netlink.Handle) string {
	t.Helper()
	routes, err := h.RouteList(nil, netlink.FAMILY_V4)
	require.NoError(t, err)
	for _, r := range routes {
		if r.Dst == nil || r.Dst.IP.IsUnspecified() {
			return r.Gw.String()
		}
	}
	return ""
}

// waitNewNetns waits until process pid has left the host's network
// namespace (unshare has done its work).
func waitNewNetns(t *testing.T, pid int) {
	t.Helper()
	self, err := netns.Get()
	require.NoError(t, err)
	defer self.Close()
	require.Eventually(t, func() bool {
		ns, err := netns.GetFromPid(pid)
		if err != nil {
			return false
		}
		defer ns.Close()
		return !ns.Equal(self)
	}, 5e9, 1e7)
}
