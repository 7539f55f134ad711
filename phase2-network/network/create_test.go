package network_test

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netlink"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
)

func TestCreateListRemove(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	subnet := nettest.Subnet(t, subnetOctet)
	name := testkit.UniqueName("n")
	l.leaks.Link(name)

	n, err := l.m.Create(ctx, network.Config{Name: name, Subnet: subnet})
	require.NoError(t, err)
	assert.Equal(t, name, n.Bridge)
	assert.Equal(t, nettest.Host(subnet, 1), n.Gateway)

	br, err := netlink.LinkByName(name)
	require.NoError(t, err)
	assert.Equal(t, "bridge", br.Type())
	assert.NotZero(t, br.Attrs().Flags&net.FlagUp, "bridge is up")
	addrs, err := netlink.AddrList(br, netlink.FAMILY_V4)
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, netip.PrefixFrom(n.Gateway, 24).String(), addrs[0].IPNet.String())
	assert.NotEmpty(t, nettest.IptablesWith(t, "-s "+subnet.String()+" ! -o "+name+
		" -m comment --comment \"shibafu network "+name+"\" -j MASQUERADE"))

	list, err := l.m.List(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, *n, list[0])

	require.NoError(t, l.m.Remove(ctx, name))
	_, err = netlink.LinkByName(name)
	assert.Error(t, err, "bridge deleted")
	assert.Empty(t, nettest.IptablesWith(t, l.m.ChainPrefix), "rules and chains deleted")
	_, err = l.m.Get(ctx, name)
	assert.ErrorIs(t, err, network.ErrNotFound)
}

func TestCreateRefusesBadInput(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	n := l.network(t)

	// A spare bridge with an address gives the host a route of the test's
	// own, to overlap without depending on the host's real routes.
	routed := nettest.Subnet(t, subnetOctet)
	dummy := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: testkit.UniqueName("d")}}
	l.leaks.Link(dummy.Name)
	require.NoError(t, netlink.LinkAdd(dummy))
	t.Cleanup(func() { netlink.LinkDel(dummy) })
	require.NoError(t, netlink.AddrAdd(dummy, &netlink.Addr{IPNet: &net.IPNet{
		IP: nettest.Host(routed, 1).AsSlice(), Mask: net.CIDRMask(24, 32)}}))
	require.NoError(t, netlink.LinkSetUp(dummy))

	free := nettest.Subnet(t, subnetOctet)
	inside := netip.PrefixFrom(nettest.Host(n.Subnet, 0), 25)
	tests := []struct {
		name string
		cfg  network.Config
		is   error
		msg  string
	}{
		{"bad name", network.Config{Name: "no/slash", Subnet: free},
			network.ErrInvalid, `invalid network name "no/slash"`},
		{"long name", network.Config{Name: "a-name-too-long-for-linux", Subnet: free},
			network.ErrInvalid, "use 1 to 15 letters"},
		{"no subnet", network.Config{Name: testkit.UniqueName("x")},
			network.ErrInvalid, "invalid subnet"},
		{"host bits", network.Config{Name: testkit.UniqueName("x"),
			Subnet: netip.PrefixFrom(nettest.Host(free, 5), 24)},
			network.ErrInvalid, "is not a network address (did you mean " + free.String() + "?)"},
		{"gateway outside", network.Config{Name: testkit.UniqueName("x"), Subnet: free,
			Gateway: nettest.Host(routed, 1)}, network.ErrInvalid, "not a host address of"},
		{"duplicate", network.Config{Name: n.Name, Subnet: free},
			network.ErrExists, "network " + n.Name + ": already exists"},
		{"link taken", network.Config{Name: dummy.Name, Subnet: free},
			network.ErrExists, "bridge " + dummy.Name + ": a link of that name already exists"},
		{"overlaps network", network.Config{Name: testkit.UniqueName("x"), Subnet: inside},
			network.ErrOverlap, "overlaps network " + n.Name},
		{"overlaps route", network.Config{Name: testkit.UniqueName("x"), Subnet: routed},
			network.ErrOverlap, "overlaps host route " + routed.String() + " dev " + dummy.Name},
	}

	names := []string{n.Name, dummy.Name}
	for _, tt := range tests {
		names = append(names, tt.cfg.Name)
	}
	before := snapshot(t, l, names)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.m.Create(ctx, tt.cfg)
			assert.ErrorIs(t, err, tt.is)
			assert.ErrorContains(t, err, tt.msg)
			assert.Equal(t, before, snapshot(t, l, names), "a refused create changes nothing")
		})
	}
}

func TestParseSubnet(t *testing.T) {
	_, err := network.ParseSubnet("10.300.0.0/16")
	assert.ErrorIs(t, err, network.ErrInvalid)
	assert.EqualError(t, err, `invalid subnet "10.300.0.0/16": want a CIDR such as 10.89.0.0/16`)
	p, err := network.ParseSubnet("10.89.0.0/16")
	require.NoError(t, err)
	assert.Equal(t, "10.89.0.0/16", p.String())
}

func TestRemoveUnknown(t *testing.T) {
	l := newLab(t)
	err := l.m.Remove(context.Background(), "nosuchnet")
	assert.ErrorIs(t, err, network.ErrNotFound)
	assert.EqualError(t, err, "no such network: nosuchnet")
}

// state is what a refused request must not change: which of some links
// exist (other tests may add links of their own meanwhile), the rules of
// the test's chains and the files under its state root.
type state struct {
	Links    []string
	Iptables []string
	Files    []string
}

func snapshot(t *testing.T, l *lab, links []string) state {
	t.Helper()
	var s state
	for _, name := range links {
		if _, err := netlink.LinkByName(name); err == nil {
			s.Links = append(s.Links, name)
		}
	}
	s.Iptables = nettest.IptablesWith(t, l.m.ChainPrefix)
	filepath.WalkDir(l.m.Root, func(path string, d os.DirEntry, err error) error {
		if err == nil && filepath.Base(path) != "lock" {
			s.Files = append(s.Files, path)
		}
		return nil
	})
	return s
}
