package network_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase2-network/nettest"
)

// blocked is how long a connection that isolation drops is given before
// the test counts it as refused.
const blocked = time.Second

func TestSameNetworkReach(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	nsA, nsB := l.container(t), l.container(t)
	a := l.attach(t, n, "a", nsA)
	b := l.attach(t, n, "b", nsB)

	assert.NoError(t, nettest.Ping(nsA, b.Address.Addr().String()))
	assert.NoError(t, nettest.Ping(nsB, a.Address.Addr().String()))
	assert.NoError(t, echo(t, nsB, nsA, a.Address.Addr().String()), "b reaches a server on a")
	assert.NoError(t, echo(t, nsA, nsB, b.Address.Addr().String()), "a reaches a server on b")
}

func TestIsolationBetweenNetworks(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	n1, n2 := l.network(t), l.network(t)
	nsA, nsB, nsC := l.container(t), l.container(t), l.container(t)
	a := l.attach(t, n1, "a", nsA)
	b := l.attach(t, n2, "b", nsB)
	c1 := l.attach(t, n1, "c", nsC)
	c2 := l.attach(t, n2, "c", nsC)
	assert.Equal(t, "eth1", c2.Interface, "a second network is eth1")

	assert.Error(t, echo(t, nsB, nsA, a.Address.Addr().String()), "n2 must not reach n1")
	assert.Error(t, echo(t, nsA, nsB, b.Address.Addr().String()), "n1 must not reach n2")
	assert.Error(t, nettest.Ping(nsA, b.Address.Addr().String()))

	assert.NoError(t, echo(t, nsC, nsA, a.Address.Addr().String()), "c reaches a on n1")
	assert.NoError(t, echo(t, nsC, nsB, b.Address.Addr().String()), "c reaches b on n2")
	assert.NoError(t, echo(t, nsA, nsC, c1.Address.Addr().String()), "a reaches c")
	assert.NoError(t, echo(t, nsB, nsC, c2.Address.Addr().String()), "b reaches c")

	// The default route goes through the first network, and moves to the
	// next when the container leaves it.
	h := handleIn(t, nsC)
	assert.Equal(t, n1.Gateway.String(), defaultGateway(t, h))
	require.NoError(t, l.m.Detach(ctx, n1.Name, "c"))
	assert.Equal(t, n2.Gateway.String(), defaultGateway(t, h))
}

func TestEgressIsMasqueraded(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	ns := l.container(t)
	l.attach(t, n, "c", ns)
	world := nettest.Outside(t, l.leaks, nettest.Subnet(t, subnetOctet))

	srv := nettest.Listen(t, world.Netns, addr(world.Addr, 0))
	nettest.ServeSource(srv)
	src, err := nettest.AskSource(ns, srv.Addr().String())
	require.NoError(t, err, "the container reaches the outside world")
	assert.Equal(t, world.HostAddr.String(), src, "the world sees the host's address")
}

func TestContainerReachesHost(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	ns := l.container(t)
	l.attach(t, n, "c", ns)

	srv, err := net.Listen("tcp4", addr(n.Gateway, 0))
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	nettest.ServeSource(srv)
	_, err = nettest.AskSource(ns, srv.Addr().String())
	assert.NoError(t, err)
}

// echo starts an echo server on ip in the namespace srvNS and checks
// that a client in cliNS gets its message back.
func echo(t *testing.T, cliNS, srvNS, ip string) error {
	t.Helper()
	l := nettest.Listen(t, srvNS, net.JoinHostPort(ip, "0"))
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	defer l.Close()

	c, err := nettest.Dial(cliNS, l.Addr().String(), blocked)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintln(c, "hello")
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "hello\n" {
		return fmt.Errorf("echo: got %q", line)
	}
	return nil
}
