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
	a := l.detached(t, l.config(t, server, n))
	bcfg := l.config(t, "exec sleep 60", n)
	b := l.detached(t, bcfg)
	ipA, ipB := a[0].Address.Addr().String(), b[0].Address.Addr().String()

	code, out := l.exec(t, bcfg.Container.ID, "ping", "-c", "1", "-W", "2", ipA)
	assert.Equal(t, 0, code, "b pings a: %s", out)
	code, out = l.exec(t, bcfg.Container.ID, "sh", "-c", get(ipA))
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "\r\n\r\nhello from shibafu\n", "b fetches a page from a")

	code, out = l.run(t, l.config(t, "ping -c 1 -W 2 "+ipB, n))
	assert.Equal(t, 0, code, "a third container pings b: %s", out)
}

func TestContainersOnTwoNetworksAreIsolated(t *testing.T) {
	l := newLab(t)
	n1, n2 := l.network(t), l.network(t)
	a := l.detached(t, l.config(t, server, n1))
	ipA := a[0].Address.Addr().String()

	code, out := l.run(t, l.config(t, get(ipA), n2))
	assert.NotEqual(t, 0, code, "a container on n2 must not reach n1: %s", out)
	assert.NotContains(t, out, "hello")

	code, out = l.run(t, l.config(t, "ip -o -4 addr show eth1 && "+get(ipA), n2, n1))
	assert.Equal(t, 0, code, "a container on both networks reaches n1: %s", out)
	assert.Contains(t, out, "hello from shibafu")
}

func TestContainerEgressIsMasqueraded(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	world := nettest.Outside(t, l.leaks, nettest.Subnet(t, subnetOctet))
	srv := nettest.Listen(t, world.Netns, world.Addr.String()+":0")
	nettest.ServeSource(srv)

	host, port, _ := strings.Cut(srv.Addr().String(), ":")
	code, out := l.run(t, l.config(t, "nc -w 2 "+host+" "+port, n))
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, world.HostAddr.String()+":", "the world sees the host's address")
}

func TestRunCleansUp(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	cfg := l.config(t, "ip -o -4 addr show eth0; ip route", n)

	code, out := l.run(t, cfg)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "inet "+nettest.Host(n.Subnet, 2).String()+"/24")
	assert.Contains(t, out, "default via "+n.Gateway.String()+" dev eth0")

	eps, err := l.m.Networks().Endpoints(l.ctx, n.Name)
	require.NoError(t, err)
	assert.Empty(t, eps, "detached after the run")
	_, err = os.Stat(l.m.NamespacePath(cfg.Container.ID))
	assert.ErrorIs(t, err, os.ErrNotExist, "namespace deleted")
	assert.Empty(t, bridgePorts(t, n.Bridge))
}

func TestRunRefusesBadInput(t *testing.T) {
	l := newLab(t)
	n := l.network(t)

	cfg := l.config(t, "true")
	cfg.Networks = []sandbox.Attachment{{Network: "nosuchnet"}}
	_, err := l.m.Run(l.ctx, cfg, container.Stdio{})
	assert.ErrorIs(t, err, network.ErrNotFound)

	cfg = l.config(t, "true", n)
	cfg.Container.Spec = hostNetworkSpec(t)
	_, err = l.m.Run(l.ctx, cfg, container.Stdio{})
	assert.ErrorContains(t, err, "shares the host's network namespace")

	err = l.m.Remove(l.ctx, "nosuchcontainer")
	assert.ErrorIs(t, err, container.ErrNotFound)

	list, err := l.m.Containers().List()
	require.NoError(t, err)
	assert.Empty(t, list, "a refused run leaves no container")
	assert.Empty(t, bridgePorts(t, n.Bridge))
}
