package dns

import (
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

// subnetOctet is this package's slice of the test address space,
// 10.216.0.0/16; see nettest.Subnet.
const subnetOctet = 216

// lab is one test's world of real containers on phase 2 networks (see
// nettest.Lab), with a DNS server on every network's gateway, as
// shibafu-dns serve --networks runs it.
type lab struct {
	*nettest.Lab
	zone *Zone
	gw   *Gateways
}

func newLab(t *testing.T) *lab {
	t.Helper()
	l := &lab{Lab: nettest.NewLab(t, subnetOctet), zone: &Zone{}}
	views := &Views{}
	srv := &Server{Handler: &Handler{Zone: l.zone, Views: views, TTL: 1}}
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	l.gw = &Gateways{Server: srv, Views: views, Networks: l.Sandbox.Networks()}
	return l
}

// network creates a network, serves DNS on its gateway and returns it;
// it is removed when the test ends, after every container on it.
func (l *lab) network(t *testing.T) *network.Network {
	t.Helper()
	n := l.Network(t)
	require.NoError(t, l.gw.Sync(t.Context()))
	require.Contains(t, l.gw.Bound(), n.Name)
	return n
}

// config is a busybox container running script on n, with the
// resolv.conf of n as its /etc/resolv.conf.
func (l *lab) config(t *testing.T, n *network.Network, script string) sandbox.Config {
	t.Helper()
	cfg := l.Config(t, script, n)
	conf := filepath.Join(l.Sandbox.Root, "resolv", n.Name+".conf")
	require.NoError(t, ForNetwork(n.Name, n.Gateway).WriteFile(conf))
	cfg.Container.Spec.Mounts = append(cfg.Container.Spec.Mounts, ResolvConfMount(conf))
	return cfg
}

// start runs a long-lived container on n, registers it as name (and as
// a replica of service, if set) and returns its address.
func (l *lab) start(t *testing.T, n *network.Network, name, service string) netip.Addr {
	t.Helper()
	ip := l.Detached(t, l.config(t, n, "sleep 600"))[0].Address.Addr()
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
	return l.Run(t, l.config(t, n, script))
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
