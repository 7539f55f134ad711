package sandbox_test

import (
	"os"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netlink"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
)

// subnetOctet is this package's slice of the test address space,
// 10.214.0.0/16; see nettest.Subnet.
const subnetOctet = 214

// TestMain lets the test binary serve as a container's init and shim, as
// package container requires.
func TestMain(m *testing.M) {
	container.Reexec()
	os.Exit(m.Run())
}

// lab is one test's sandbox manager, networks and leak check (see
// nettest.Lab).
type lab struct{ *nettest.Lab }

func newLab(t *testing.T) *lab { return &lab{nettest.NewLab(t, subnetOctet)} }

// network creates a network removed when the test ends; by then every
// container's veth must have left its bridge.
func (l *lab) network(t *testing.T) *network.Network {
	t.Helper()
	n := l.Network(t)
	t.Cleanup(func() { require.Empty(t, bridgePorts(t, n.Bridge), "every veth left the bridge") })
	return n
}

// bridgePorts names the links plugged into a bridge.
func bridgePorts(t *testing.T, bridge string) []string {
	t.Helper()
	br, err := netlink.LinkByName(bridge)
	require.NoError(t, err)
	links, err := netlink.LinkList()
	require.NoError(t, err)
	var ports []string
	for _, link := range links {
		if link.Attrs().MasterIndex == br.Attrs().Index {
			ports = append(ports, link.Attrs().Name)
		}
	}
	return ports
}

// hostNetworkSpec is a spec that keeps the host's network namespace.
func hostNetworkSpec(t *testing.T) *specs.Spec {
	spec, err := bundle.Spec(bundle.Options{Args: []string{"true"}, HostNetwork: true})
	require.NoError(t, err)
	return spec
}
