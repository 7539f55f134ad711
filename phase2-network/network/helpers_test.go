package network_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
)

// subnetOctet is this package's slice of the test address space,
// 10.213.0.0/16; see nettest.Subnet.
const subnetOctet = 213

// lab is one test's private world: a state root, an iptables chain
// prefix, and the leak check that runs when the test ends.
type lab struct {
	m     *network.Manager
	leaks *nettest.Leaks
}

func newLab(t testing.TB) *lab {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	testkit.RequireTool(t, "nsenter")
	prefix := testkit.UniqueName("SBF")
	l := &lab{leaks: nettest.TrackLeaks(t, prefix)}
	l.m = &network.Manager{Root: testkit.ShortTempDir(t), ChainPrefix: prefix}
	return l
}

// network creates a network with a unique name on a fresh subnet, removed
// when the test ends (after its containers are detached).
func (l *lab) network(t testing.TB) *network.Network {
	t.Helper()
	name := testkit.UniqueName("n")
	l.leaks.Link(name)
	n, err := l.m.Create(context.Background(), network.Config{
		Name:   name,
		Subnet: nettest.Subnet(t, subnetOctet),
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, l.m.Remove(context.Background(), name))
	})
	return n
}

// attach puts the namespace ns on network n as container id, detached
// again when the test ends.
func (l *lab) attach(t testing.TB, n *network.Network, id, ns string) *network.Endpoint {
	t.Helper()
	ep, err := l.m.Attach(context.Background(), n.Name, id, ns, network.AttachOptions{})
	require.NoError(t, err)
	l.leaks.Link(ep.HostVeth)
	t.Cleanup(func() {
		err := l.m.Detach(context.Background(), n.Name, id)
		if err != nil {
			require.ErrorIs(t, err, network.ErrNotAttached)
		}
	})
	return ep
}

// container makes a namespace standing in for a container.
func (l *lab) container(t testing.TB) string {
	t.Helper()
	return nettest.Namespace(t, l.leaks)
}

// addr formats ip:port.
func addr(ip netip.Addr, port int) string {
	return netip.AddrPortFrom(ip, uint16(port)).String()
}
