package dns

import (
	"context"
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

// subnetOctet is this package's slice of the test address space,
// 10.216.0.0/16; see nettest.Subnet.
const subnetOctet = 216

// lab is one test's world of real containers on phase 2 networks, with
// a DNS server on every network's gateway, as shibafu-dns serve
// --networks runs it.
type lab struct {
	ctx   context.Context
	sm    *sandbox.Manager
	leaks *nettest.Leaks
	zone  *Zone
	gw    *Gateways
	dir   string
}

func newLab(t *testing.T) *lab {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	prefix := testkit.UniqueName("SBF")
	l := &lab{ctx: context.Background(), leaks: nettest.TrackLeaks(t, prefix),
		zone: &Zone{}, dir: testkit.ShortTempDir(t)}
	l.sm = &sandbox.Manager{Root: l.dir, ChainPrefix: prefix}

	views := &Views{}
	srv := &Server{Handler: &Handler{Zone: l.zone, Views: views, TTL: 1}}
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	l.gw = &Gateways{Server: srv, Views: views, Networks: l.sm.Networks()}
	return l
}

// network creates a network, serves DNS on its gateway and returns it;
// it is removed when the test ends, after every container on it.
func (l *lab) network(t *testing.T) *network.Network {
	t.Helper()
	name := testkit.UniqueName("n")
	l.leaks.Link(name)
	n, err := l.sm.Networks().Create(l.ctx, network.Config{
		Name: name, Subnet: nettest.Subnet(t, subnetOctet),
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.sm.Networks().Remove(l.ctx, name)) })
	require.NoError(t, l.gw.Sync(l.ctx))
	require.Contains(t, l.gw.Bound(), name)
	return n
}

// config is a busybox container running script on n, with the
// resolv.conf of n as its /etc/resolv.conf.
func (l *lab) config(t *testing.T, n *network.Network, script string) sandbox.Config {
	t.Helper()
	spec, err := bundle.Spec(bundle.Options{Args: []string{"sh", "-c", script}})
	require.NoError(t, err)
	conf := filepath.Join(l.dir, "resolv", n.Name+".conf")
	require.NoError(t, ForNetwork(n.Name, n.Gateway).WriteFile(conf))
	spec.Mounts = append(spec.Mounts, ResolvConfMount(conf))

	id := testkit.UniqueName("c")
	l.leaks.Path(l.sm.NamespacePath(id))
	return sandbox.Config{
		Container: container.Config{ID: id, Spec: spec},
		Networks:  []sandbox.Attachment{{Network: n.Name}},
	}
}

// start runs a long-lived container on n, registers it as name (and as
// a replica of service, if set) and returns its address.
func (l *lab) start(t *testing.T, n *network.Network, name, service string) netip.Addr {
	t.Helper()
	cfg := l.config(t, n, "sleep 600")
	eps, err := l.sm.RunDetached(l.ctx, cfg)
	require.NoError(t, err)
	l.leaks.Link(eps[0].HostVeth)
	t.Cleanup(func() { require.NoError(t, l.sm.Remove(l.ctx, cfg.Container.ID)) })

	ip := eps[0].Address.Addr()
	r := Record{Network: n.Name, Name: name, IPs: []netip.Addr{ip}, Service: service}
	if service != "" {
		r.Ports = []Port{{Name: "http", Number: 80, Proto: "tcp"}}
	}
	require.NoError(t, l.zone.Put(r))
	return ip
}

// run runs script in a fresh container on n and returns its exit code
// and output.
func (l *lab) run(t *testing.T, n *network.Network, script string) (int, string) {
	t.Helper()
	var out strings.Builder
	exit, err := l.sm.Run(l.ctx, l.config(t, n, script),
		container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return exit.Code, out.String()
}

// dig runs dig against the server on addr with args, and returns its
// short output lines.
func dig(t *testing.T, addr netip.Addr, args ...string) []string {
	t.Helper()
	bin := testkit.RequireTool(t, "dig")
	args = append([]string{"@" + addr.String(), "+short", "+time=2", "+tries=1"}, args...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	require.NoError(t, err, "dig %s: %s", strings.Join(args, " "), out)
	return strings.Fields(strings.TrimSpace(string(out)))
}
