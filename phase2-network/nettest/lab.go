package nettest

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

// Lab is one test's containers and networks: a sandbox manager on a
// state root and chain prefix of its own, and the leak check that runs
// when the test ends. Later phases' lab tests build on it.
//
// The test binary must call container.Reexec in TestMain.
type Lab struct {
	Sandbox *sandbox.Manager
	Leaks   *Leaks
	// Octet picks the test's subnets from 10.OCTET.0.0/16; see Subnet.
	Octet byte
}

// NewLab requires root and iptables and returns a fresh Lab whose
// subnets come from 10.octet.0.0/16.
func NewLab(t *testing.T, octet byte) *Lab {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	prefix := testkit.UniqueName("SBF")
	return &Lab{
		Sandbox: &sandbox.Manager{Root: testkit.ShortTempDir(t), ChainPrefix: prefix},
		Leaks:   TrackLeaks(t, prefix),
		Octet:   octet,
	}
}

// Network creates a network, removed when the test ends after every
// container on it.
func (l *Lab) Network(t *testing.T) *network.Network {
	t.Helper()
	name := testkit.UniqueName("n")
	l.Leaks.Link(name)
	n, err := l.Sandbox.Networks().Create(t.Context(), network.Config{
		Name: name, Subnet: Subnet(t, l.Octet),
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, l.Sandbox.Networks().Remove(context.Background(), name))
	})
	return n
}

// Config is a busybox container running sh -c script, with a root
// filesystem of its own, on the given networks.
func (l *Lab) Config(t *testing.T, script string, nets ...*network.Network) sandbox.Config {
	t.Helper()
	spec, err := bundle.Spec(bundle.Options{Args: []string{"sh", "-c", script}})
	require.NoError(t, err)
	cfg := sandbox.Config{Container: container.Config{ID: testkit.UniqueName("c"), Spec: spec}}
	for _, n := range nets {
		cfg.Networks = append(cfg.Networks, sandbox.Attachment{Network: n.Name})
	}
	l.Leaks.Path(l.Sandbox.NamespacePath(cfg.Container.ID))
	return cfg
}

// Detached starts cfg in the background, removed when the test ends, and
// returns its endpoints.
func (l *Lab) Detached(t *testing.T, cfg sandbox.Config) []network.Endpoint {
	t.Helper()
	eps, err := l.Sandbox.RunDetached(t.Context(), cfg)
	require.NoError(t, err)
	for _, ep := range eps {
		l.Leaks.Link(ep.HostVeth)
	}
	t.Cleanup(func() {
		require.NoError(t, l.Sandbox.Remove(context.Background(), cfg.Container.ID))
	})
	return eps
}

// Run runs cfg in the foreground and returns its exit code and output.
func (l *Lab) Run(t *testing.T, cfg sandbox.Config) (int, string) {
	t.Helper()
	var out strings.Builder
	exit, err := l.Sandbox.Run(t.Context(), cfg, container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return exit.Code, out.String()
}

// Exec runs a command in a running container and returns its exit code
// and output.
func (l *Lab) Exec(t *testing.T, id string, args ...string) (int, string) {
	t.Helper()
	var out strings.Builder
	exit, err := l.Sandbox.Containers().Exec(t.Context(), id, container.ExecOptions{Args: args},
		container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return exit.Code, out.String()
}
