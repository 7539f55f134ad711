package sandbox_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

// server serves "hello from NAME" over HTTP on port 8080.
const server = `echo "hello from $(hostname)" > /index.html && exec httpd -f -p 8080 -h /`

// get is a shell command fetching the server's page at ip with nc, giving
// up after two seconds. (Debian's static busybox wget crashes on start.)
func get(ip string) string {
	return `printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 2 ` + ip + ` 8080`
}

func TestContainersOnOneNetworkTalk(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	a := l.Detached(t, l.Config(t, server, n))
	bcfg := l.Config(t, "exec sleep 60", n)
	b := l.Detached(t, bcfg)
	ipA, ipB := a[0].Address.Addr().String(), b[0].Address.Addr().String()

	code, out := l.Exec(t, bcfg.Container.ID, "ping", "-c", "1", "-W", "2", ipA)
	assert.Equal(t, 0, code, "b pings a: %s", out)
	code, out = l.Exec(t, bcfg.Container.ID, "sh", "-c", get(ipA))
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "\r\n\r\nhello from shibafu\n", "b fetches a page from a")

	code, out = l.Run(t, l.Config(t, "ping -c 1 -W 2 "+ipB, n))
	assert.Equal(t, 0, code, "a third container pings b: %s", out)
}

func TestContainersOnTwoNetworksAreIsolated(t *testing.T) {
	l := newLab(t)
	n1, n2 := l.network(t), l.network(t)
	a := l.Detached(t, l.Config(t, server, n1))
	ipA := a[0].Address.Addr().String()

	code, out := l.Run(t, l.Config(t, get(ipA), n2))
	assert.NotEqual(t, 0, code, "a container on n2 must not reach n1: %s", out)
	assert.NotContains(t, out, "hello")

	code, out = l.Run(t, l.Config(t, "ip -o -4 addr show eth1 && "+get(ipA), n2, n1))
	assert.Equal(t, 0, code, "a container on both networks reaches n1: %s", out)
	assert.Contains(t, out, "hello from shibafu")
}

func TestContainerEgressIsMasqueraded(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	world := nettest.Outside(t, l.Leaks, nettest.Subnet(t, subnetOctet))
	srv := nettest.Listen(t, world.Netns, world.Addr.String()+":0")
	nettest.ServeSource(srv)

	host, port, _ := strings.Cut(srv.Addr().String(), ":")
	code, out := l.Run(t, l.Config(t, "nc -w 2 "+host+" "+port, n))
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, world.HostAddr.String()+":", "the world sees the host's address")
}

func TestRunCleansUp(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	cfg := l.Config(t, "ip -o -4 addr show eth0; ip route", n)

	code, out := l.Run(t, cfg)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "inet "+nettest.Host(n.Subnet, 2).String()+"/24")
	assert.Contains(t, out, "default via "+n.Gateway.String()+" dev eth0")

	eps, err := l.Sandbox.Networks().Endpoints(t.Context(), n.Name)
	require.NoError(t, err)
	assert.Empty(t, eps, "detached after the run")
	_, err = os.Stat(l.Sandbox.NamespacePath(cfg.Container.ID))
	assert.ErrorIs(t, err, os.ErrNotExist, "namespace deleted")
	assert.Empty(t, bridgePorts(t, n.Bridge))
}

func TestRunRefusesBadInput(t *testing.T) {
	l := newLab(t)
	n := l.network(t)

	cfg := l.Config(t, "true")
	cfg.Networks = []sandbox.Attachment{{Network: "nosuchnet"}}
	_, err := l.Sandbox.Run(t.Context(), cfg, container.Stdio{})
	assert.ErrorIs(t, err, network.ErrNotFound)

	cfg = l.Config(t, "true", n)
	cfg.Container.Spec = hostNetworkSpec(t)
	_, err = l.Sandbox.Run(t.Context(), cfg, container.Stdio{})
	assert.ErrorContains(t, err, "shares the host's network namespace")

	err = l.Sandbox.Remove(t.Context(), "nosuchcontainer")
	assert.ErrorIs(t, err, container.ErrNotFound)

	list, err := l.Sandbox.Containers().List()
	require.NoError(t, err)
	assert.Empty(t, list, "a refused run leaves no container")
	assert.Empty(t, bridgePorts(t, n.Bridge))
}
