package sandbox_test

import (
	"context"
	"os"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netlink"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
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

// lab is one test's sandbox manager on a state root and chain prefix of
// its own, with the leak check that runs when the test ends.
type lab struct {
	m     *sandbox.Manager
	leaks *nettest.Leaks
	ctx   context.Context
}

func newLab(t *testing.T) *lab {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	prefix := testkit.UniqueName("SBF")
	l := &lab{leaks: nettest.TrackLeaks(t, prefix), ctx: context.Background()}
	l.m = &sandbox.Manager{Root: testkit.ShortTempDir(t), ChainPrefix: prefix}
	return l
}

// network creates a network removed when the test ends, after every
// container on it.
func (l *lab) network(t *testing.T) *network.Network {
	t.Helper()
	name := testkit.UniqueName("n")
	l.leaks.Link(name)
	n, err := l.m.Networks().Create(l.ctx, network.Config{
		Name: name, Subnet: nettest.Subnet(t, subnetOctet),
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		require.Empty(t, bridgePorts(t, n.Bridge), "every veth left the bridge")
		require.NoError(t, l.m.Networks().Remove(l.ctx, name))
	})
	return n
}

// config is a busybox container running sh -c script, with a root
// filesystem of its own, on the given networks.
func (l *lab) config(t *testing.T, script string, nets ...*network.Network) sandbox.Config {
	t.Helper()
	spec, err := bundle.Spec(bundle.Options{Args: []string{"sh", "-c", script}})
	require.NoError(t, err)
	cfg := sandbox.Config{Container: container.Config{ID: testkit.UniqueName("c"), Spec: spec}}
	for _, n := range nets {
		cfg.Networks = append(cfg.Networks, sandbox.Attachment{Network: n.Name})
	}
	l.leaks.Path(l.m.NamespacePath(cfg.Container.ID))
	return cfg
}

// detached starts cfg in the background, removed when the test ends, and
// returns its endpoints.
func (l *lab) detached(t *testing.T, cfg sandbox.Config) []network.Endpoint {
	t.Helper()
	eps, err := l.m.RunDetached(l.ctx, cfg)
	require.NoError(t, err)
	for _, ep := range eps {
		l.leaks.Link(ep.HostVeth)
	}
	t.Cleanup(func() { require.NoError(t, l.m.Remove(l.ctx, cfg.Container.ID)) })
	return eps
}

// run runs cfg in the foreground and returns its exit code and output.
func (l *lab) run(t *testing.T, cfg sandbox.Config) (int, string) {
	t.Helper()
	var out strings.Builder
	exit, err := l.m.Run(l.ctx, cfg, container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return exit.Code, out.String()
}

// exec runs a command in a running container.
func (l *lab) exec(t *testing.T, id string, args ...string) (int, string) {
	t.Helper()
	var out strings.Builder
	exit, err := l.m.Containers().Exec(l.ctx, id, container.ExecOptions{Args: args},
		container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return exit.Code, out.String()
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
