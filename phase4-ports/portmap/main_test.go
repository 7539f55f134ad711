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

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
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

// lab is one test's managers, on a state root and chain prefix of its
// own, with the leak check that runs when the test ends.
type lab struct {
	sb    *sandbox.Manager
	ports *portmap.Manager
	leaks *nettest.Leaks
	ctx   context.Context
}

func newLab(t *testing.T) *lab {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	prefix := testkit.UniqueName("SBP")
	l := &lab{leaks: nettest.TrackLeaks(t, prefix), ctx: context.Background()}
	root := testkit.ShortTempDir(t)
	l.sb = &sandbox.Manager{Root: root, ChainPrefix: prefix}
	l.ports = &portmap.Manager{Root: root, ChainPrefix: prefix}
	return l
}

// network creates a network removed when the test ends.
func (l *lab) network(t *testing.T) *network.Network {
	t.Helper()
	name := testkit.UniqueName("p")
	l.leaks.Link(name)
	n, err := l.sb.Networks().Create(l.ctx, network.Config{
		Name: name, Subnet: nettest.Subnet(t, subnetOctet),
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.sb.Networks().Remove(l.ctx, name)) })
	return n
}

// container runs busybox sh -c script on n in the background until the
// test ends, and returns its address.
func (l *lab) container(t *testing.T, n *network.Network, script string) netip.Addr {
	t.Helper()
	cfg := l.config(t, n, script)
	eps, err := l.sb.RunDetached(l.ctx, cfg)
	require.NoError(t, err)
	l.leaks.Link(eps[0].HostVeth)
	t.Cleanup(func() { require.NoError(t, l.sb.Remove(l.ctx, cfg.Container.ID)) })
	return eps[0].Address.Addr()
}

// run runs busybox sh -c script on n in the foreground and returns its
// exit code and output.
func (l *lab) run(t *testing.T, n *network.Network, script string) (int, string) {
	t.Helper()
	var out strings.Builder
	exit, err := l.sb.Run(l.ctx, l.config(t, n, script),
		container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return exit.Code, out.String()
}

func (l *lab) config(t *testing.T, n *network.Network, script string) sandbox.Config {
	t.Helper()
	spec, err := bundle.Spec(bundle.Options{Args: []string{"sh", "-c", script}})
	require.NoError(t, err)
	cfg := sandbox.Config{
		Container: container.Config{ID: testkit.UniqueName("c"), Spec: spec},
		Networks:  []sandbox.Attachment{{Network: n.Name}},
	}
	l.leaks.Path(l.sb.NamespacePath(cfg.Container.ID))
	return cfg
}

// publish publishes maps and unpublishes them when the test ends.
func (l *lab) publish(t *testing.T, maps ...portmap.Mapping) []portmap.Mapping {
	t.Helper()
	done, err := l.ports.Publish(l.ctx, maps...)
	require.NoError(t, err)
	t.Cleanup(func() {
		for _, m := range done {
			_, err := l.ports.Unpublish(l.ctx, m.Proto, m.HostIP, m.HostPort)
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
