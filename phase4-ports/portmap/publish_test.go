package portmap_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase4-ports/portmap"
)

// TestPublishTCPFromEverywhere publishes a web server in a container and
// fetches its page from another host (a namespace playing one), from the
// host by its own address and by 127.0.0.1, and from another container
// on the same bridge (hairpin). After unpublish none of them reaches it
// and no rule remains.
func TestPublishTCPFromEverywhere(t *testing.T) {
	l := newLab(t)
	n := l.Network(t)
	world := nettest.Outside(t, l.Leaks, nettest.Subnet(t, subnetOctet))
	ip := l.container(t, n, httpServer)
	waitHTTP(t, ip.String()+":8080")

	maps := l.publish(t, portmap.Mapping{Proto: portmap.TCP, ContainerIP: ip,
		ContainerPort: 8080, Owner: "web"})
	port := maps[0].HostPort
	require.NotZero(t, port, "a free port was picked")
	assert.Equal(t, n.Bridge, maps[0].Bridge)
	assert.Equal(t, "1", localnet(t, n.Bridge), "route_localnet on the bridge")

	fromWorld := func() (net.Conn, error) {
		return nettest.Dial(world.Netns, fmt.Sprint(world.HostAddr, ":", port), 2*time.Second)
	}
	reaches := map[string]func() (net.Conn, error){
		"another host":           fromWorld,
		"the host's own address": hostDial(fmt.Sprint(world.HostAddr, ":", port)),
		"127.0.0.1":              hostDial(fmt.Sprint("127.0.0.1:", port)),
	}
	for name, dial := range reaches {
		out, err := fetch(dial)
		require.NoError(t, err, "from %s", name)
		assert.Contains(t, out, "hello from web", "from %s", name)
	}
	code, out := l.run(t, n, fmt.Sprintf(
		`printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 2 %s %d`, n.Gateway, port))
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "hello from web", "from another container (hairpin)")

	gone, err := l.ports.UnpublishOwner(context.Background(), "web")
	require.NoError(t, err)
	require.Len(t, gone, 1)
	for name, dial := range reaches {
		_, err := fetch(dial)
		assert.Error(t, err, "from %s after unpublish", name)
	}
	assert.Empty(t, nettest.IptablesWith(t, "shibafu port tcp/0.0.0.0:"+fmt.Sprint(port)))
	assert.Equal(t, "0", localnet(t, n.Bridge), "route_localnet is restored")
}

// TestPublishUDP publishes a UDP echo server in a container's namespace
// and asks it from 127.0.0.1 and from another host.
func TestPublishUDP(t *testing.T) {
	l := newLab(t)
	n := l.Network(t)
	world := nettest.Outside(t, l.Leaks, nettest.Subnet(t, subnetOctet))
	ns := nettest.Namespace(t, l.Leaks)
	id := testkit.UniqueName("u")
	ep, err := l.Sandbox.Networks().Attach(context.Background(), n.Name, id, ns, network.AttachOptions{})
	require.NoError(t, err)
	l.Leaks.Link(ep.HostVeth)
	t.Cleanup(func() { require.NoError(t, l.Sandbox.Networks().Detach(context.Background(), n.Name, id)) })
	udpEcho(t, ns, ep.Address.Addr())

	maps := l.publish(t, portmap.Mapping{Proto: portmap.UDP, ContainerIP: ep.Address.Addr(),
		ContainerPort: 5353})
	port := maps[0].HostPort

	ask := func(from string) (string, error) {
		if from == "world" {
			var out string
			err := nettest.InNamespace(world.Netns, func() (err error) {
				out, err = udpAsk(fmt.Sprint(world.HostAddr, ":", port))
				return err
			})
			return out, err
		}
		return udpAsk(fmt.Sprint("127.0.0.1:", port))
	}
	for _, from := range []string{"127.0.0.1", "world"} {
		out, err := ask(from)
		require.NoError(t, err, "from %s", from)
		assert.Equal(t, "echo ping", out, "from %s", from)
	}

	_, err = l.ports.Unpublish(context.Background(), portmap.UDP, netip.Addr{}, port)
	require.NoError(t, err)
	for _, from := range []string{"127.0.0.1", "world"} {
		_, err := ask(from)
		assert.Error(t, err, "from %s after unpublish", from)
	}
}

// TestBadInputChangesNothing tries mappings that must be refused and
// checks that iptables and the records are as they were.
func TestBadInputChangesNothing(t *testing.T) {
	l := newLab(t)
	n := l.Network(t)
	ip := nettest.Host(n.Subnet, 2)
	first := l.publish(t, portmap.Mapping{Proto: portmap.TCP, ContainerIP: ip, ContainerPort: 80})

	bound, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer bound.Close()
	boundPort := uint16(bound.Addr().(*net.TCPAddr).Port)

	rules := nettest.IptablesWith(t, l.ports.ChainPrefix)
	m := func(proto portmap.Proto, host, ctr uint16) portmap.Mapping {
		return portmap.Mapping{Proto: proto, HostPort: host, ContainerIP: ip, ContainerPort: ctr}
	}
	for _, tc := range []struct {
		name string
		maps []portmap.Mapping
		want error
	}{
		{"container port 0", []portmap.Mapping{m(portmap.TCP, 9, 0)}, portmap.ErrInvalid},
		{"unknown protocol", []portmap.Mapping{m("sctp", 9, 80)}, portmap.ErrInvalid},
		{"published port", []portmap.Mapping{m(portmap.TCP, first[0].HostPort, 81)},
			portmap.ErrPortTaken},
		{"bound port", []portmap.Mapping{m(portmap.TCP, boundPort, 81)}, portmap.ErrPortTaken},
		{"one bad of two", []portmap.Mapping{m(portmap.UDP, 0, 53), m(portmap.TCP, boundPort, 1)},
			portmap.ErrPortTaken},
		{"not a local address", []portmap.Mapping{{Proto: portmap.TCP, ContainerIP: ip,
			HostIP: netip.MustParseAddr("192.0.2.1"), ContainerPort: 80}}, portmap.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := l.ports.Publish(context.Background(), tc.maps...)
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, rules, nettest.IptablesWith(t, l.ports.ChainPrefix),
				"iptables unchanged")
			list, err := l.ports.List(context.Background())
			require.NoError(t, err)
			assert.Equal(t, first, list, "records unchanged")
		})
	}
}

// TestRestartFindsRules publishes with one Manager and checks that a
// fresh one, as a new process would make, sees the mapping and that
// Restore adds no duplicate rule.
func TestRestartFindsRules(t *testing.T) {
	l := newLab(t)
	n := l.Network(t)
	ip := nettest.Host(n.Subnet, 2)
	maps := l.publish(t, portmap.Mapping{Proto: portmap.TCP, HostIP: netip.MustParseAddr("127.0.0.1"),
		ContainerIP: ip, ContainerPort: 80},
		portmap.Mapping{Proto: portmap.UDP, ContainerIP: ip, ContainerPort: 53})
	before := nettest.IptablesWith(t, l.ports.ChainPrefix)

	again := &portmap.Manager{Root: l.ports.Root, ChainPrefix: l.ports.ChainPrefix}
	list, err := again.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, maps, list)
	require.NoError(t, again.Restore(context.Background()))
	require.NoError(t, again.Restore(context.Background()))
	assert.Equal(t, before, nettest.IptablesWith(t, l.ports.ChainPrefix), "no duplicates")

	_, err = again.Publish(context.Background(), portmap.Mapping{Proto: portmap.TCP,
		HostPort: maps[0].HostPort, ContainerIP: ip, ContainerPort: 81})
	assert.ErrorIs(t, err, portmap.ErrPortTaken, "the new process knows the port is taken")
}

// TestPortRange publishes a range port by port.
func TestPortRange(t *testing.T) {
	l := newLab(t)
	n := l.Network(t)
	ip := nettest.Host(n.Subnet, 2)
	base := freeRange(t, 3)
	maps, err := portmap.Parse(fmt.Sprintf("%d-%d:7000-7002/udp", base, base+2), ip)
	require.NoError(t, err)
	done := l.publish(t, maps...)
	require.Len(t, done, 3)
	for i, m := range done {
		assert.Equal(t, base+uint16(i), m.HostPort)
		assert.Equal(t, uint16(7000+i), m.ContainerPort)
	}
	var dnat int
	for _, r := range nettest.IptablesWith(t, l.ports.ChainPrefix) {
		if strings.Contains(r, "-j DNAT") {
			dnat++
		}
	}
	assert.Equal(t, 3, dnat, "one DNAT rule per port")
}

func localnet(t *testing.T, dev string) string {
	t.Helper()
	data, err := os.ReadFile("/proc/sys/net/ipv4/conf/" + dev + "/route_localnet")
	require.NoError(t, err)
	return strings.TrimSpace(string(data))
}
