package portmap_test

import (
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase4-ports/portmap"
)

// subnetOctet is this package's slice of the test address space,
// 10.218.0.0/16; see nettest.Subnet.
const subnetOctet = 218

// TestMain lets the test binary serve as a container's init and shim, as
// package container requires.
func TestMain(m *testing.M) {
	container.Reexec()
	os.Exit(m.Run())
}

// lab is one test's containers and networks (see nettest.Lab) and a
// port manager on the same state root and chain prefix.
type lab struct {
	*nettest.Lab
	ports *portmap.Manager
}

func newLab(t *testing.T) *lab {
	t.Helper()
	l := &lab{Lab: nettest.NewLab(t, subnetOctet)}
	l.ports = &portmap.Manager{Root: l.Sandbox.Root, ChainPrefix: l.Sandbox.ChainPrefix}
	return l
}

// container runs busybox sh -c script on n in the background until the
// test ends, and returns its address.
func (l *lab) container(t *testing.T, n *network.Network, script string) netip.Addr {
	t.Helper()
	return l.Detached(t, l.Config(t, script, n))[0].Address.Addr()
}

// run runs busybox sh -c script on n in the foreground and returns its
// exit code and output.
func (l *lab) run(t *testing.T, n *network.Network, script string) (int, string) {
	t.Helper()
	return l.Run(t, l.Config(t, script, n))
}

// publish publishes maps and unpublishes them when the test ends.
func (l *lab) publish(t *testing.T, maps ...portmap.Mapping) []portmap.Mapping {
	t.Helper()
	done, err := l.ports.Publish(context.Background(), maps...)
	require.NoError(t, err)
	t.Cleanup(func() {
		for _, m := range done {
			_, err := l.ports.Unpublish(context.Background(), m.Proto, m.HostIP, m.HostPort)
			if err != nil && !strings.Contains(err.Error(), "no such mapping") {
				t.Errorf("unpublish %s: %v", m, err)
			}
		}
	})
	return done
}

// httpServer is a busybox web server answering "hello from web" on 8080.
const httpServer = `echo "hello from web" > /index.html && exec httpd -f -p 8080 -h /`

// fetch sends an HTTP/1.0 GET over a connection made by dial and returns
// the whole answer.
func fetch(dial func() (net.Conn, error)) (string, error) {
	c, err := dial()
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := io.WriteString(c, "GET /index.html HTTP/1.0\r\n\r\n"); err != nil {
		return "", err
	}
	data, err := io.ReadAll(c)
	return string(data), err
}

// hostDial dials addr from the host.
func hostDial(addr string) func() (net.Conn, error) {
	return func() (net.Conn, error) { return net.DialTimeout("tcp4", addr, 2*time.Second) }
}

// waitHTTP waits until the container's server answers directly.
func waitHTTP(t *testing.T, addr string) {
	t.Helper()
	require.Eventually(t, func() bool {
		out, err := fetch(hostDial(addr))
		return err == nil && strings.Contains(out, "hello")
	}, 10*time.Second, 50*time.Millisecond, "the server in the container starts")
}
