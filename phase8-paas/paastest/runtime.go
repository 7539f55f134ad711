// Package paastest starts what the PaaS's tests run on: a shibafud
// runtime daemon of the test's own, on a temporary state root, socket,
// default network and iptables chain prefix, with the check that nothing
// it made is left behind when the test ends.
package paastest

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"

	"shibafu.dev/phase7-runtime/client"
)

// SubnetOctet is phase 8's slice of the test address space,
// 10.222.0.0/16, for its tests; see nettest.Subnet. The lesson and demo
// use 10.223.0.0/16.
const SubnetOctet = 222

// Runtime is one test's shibafud.
type Runtime struct {
	// Root is the daemon's state root, Socket its API socket.
	Root, Socket string
	// Network names its default network (also the bridge's name), on
	// Subnet; Prefix starts the names of its iptables chains.
	Network string
	Subnet  netip.Prefix
	Prefix  string
	// Client talks to it.
	Client *client.Client

	t      testing.TB
	dir    string
	cmd    *exec.Cmd
	log    *syncBuffer
	leaks  *nettest.Leaks
	exited chan struct{}
}

// StartRuntime builds shibafud (once per test binary), starts it on a
// root of the test's own, waits until it answers and makes the
// "busybox" base image. When the test ends it removes every container
// and network through the API, stops the daemon, and fails the test if a
// mount, veth, bridge or iptables chain of it is left.
func StartRuntime(t testing.TB) *Runtime {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	r := &Runtime{
		t:       t,
		dir:     testkit.ShortTempDir(t),
		Network: testkit.UniqueName("p"),
		Prefix:  testkit.UniqueName("SBF8"),
		log:     &syncBuffer{},
	}
	r.Root = filepath.Join(r.dir, "root")
	r.Socket = filepath.Join(r.dir, "shibafu.sock")
	r.Client = &client.Client{Socket: r.Socket}
	r.leaks = nettest.TrackLeaks(t, r.Prefix)
	r.leaks.Link(r.Network)

	// Test processes of other packages pick from the same subnets: one
	// may take the subnet this one chose between the check and the
	// daemon's start, which then refuses it. Another subnet is tried.
	ctx := context.Background()
	up := r.start(ctx)
	t.Cleanup(r.cleanUp)
	for attempt := 1; !up; attempt++ {
		if !strings.Contains(r.log.String(), "overlaps host route") || attempt == 5 {
			t.Fatalf("shibafud exited:\n%s", r.log)
		}
		r.log.Reset()
		up = r.start(ctx)
	}
	_, err := r.Client.BuildBase(ctx, "busybox")
	require.NoError(t, err, "build-base busybox")
	return r
}

// start starts the daemon on a new subnet and waits until it answers.
// It returns false if the daemon exited instead.
func (r *Runtime) start(ctx context.Context) bool {
	t := r.t
	r.Subnet = nettest.Subnet(t, SubnetOctet)
	r.exited = make(chan struct{})
	r.cmd = exec.Command(Shibafud(t), "--root", r.Root, "--socket", r.Socket,
		"--network", r.Network, "--subnet", r.Subnet.String(), "--chain-prefix", r.Prefix,
		"--no-dns-forward", "--stop-timeout", "2s", "--stats-interval", "500ms")
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	require.NoError(t, r.cmd.Start())
	cmd, exited := r.cmd, r.exited
	go func() { cmd.Wait(); close(exited) }()

	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := r.Client.Info(ctx); err == nil {
			return true
		}
		select {
		case <-exited:
			return false
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("shibafud did not come up:\n%s", r.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Log returns what the daemon has logged so far.
func (r *Runtime) Log() string { return r.log.String() }

// cleanUp removes what the test left (the default network too, which
// the daemon does not remove on its own), stops the daemon and checks that
// nothing it made is left on the host.
func (r *Runtime) cleanUp() {
	t := r.t
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if cs, err := r.Client.List(ctx, true); assert.NoError(t, err, "list containers") {
		for _, c := range cs {
			assert.NoError(t, r.Client.Remove(ctx, c.ID, true), "rm -f %s", c.Name)
		}
	}
	if ns, err := r.Client.Networks(ctx); assert.NoError(t, err, "list networks") {
		for _, n := range ns {
			r.leaks.Link(n.Bridge)
			assert.NoError(t, r.Client.RemoveNetwork(ctx, n.Name), "network rm %s", n.Name)
		}
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(30 * time.Second):
		r.cmd.Process.Kill()
		<-r.exited
		t.Errorf("shibafud did not stop on SIGTERM")
	}
	if t.Failed() {
		t.Logf("shibafud's log:\n%s", r.log)
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	require.NoError(t, err)
	assert.NotContains(t, string(mounts), r.dir, "leak: a mount under the state root")
}

var daemonBuild struct {
	sync.Mutex
	path string
}

// Shibafud builds the phase 7 daemon once per test binary, beside the
// binaries testkit.Binary builds, so that testkit.RemoveBinaries
// deletes it too.
func Shibafud(t testing.TB) string {
	t.Helper()
	daemonBuild.Lock()
	defer daemonBuild.Unlock()
	if daemonBuild.path != "" {
		return daemonBuild.path
	}
	dir, err := os.MkdirTemp("", "sbfd")
	require.NoError(t, err)
	path := filepath.Join(dir, "shibafud")
	out, err := exec.Command("go", "build", "-o", path,
		"shibafu.dev/phase7-runtime/cmd/shibafud").CombinedOutput()
	require.NoError(t, err, "go build shibafud:\n%s", out)
	daemonBuild.path = path
	return path
}

// RemoveShibafud deletes what Shibafud built; call it from TestMain.
func RemoveShibafud() {
	daemonBuild.Lock()
	defer daemonBuild.Unlock()
	if daemonBuild.path != "" {
		os.RemoveAll(filepath.Dir(daemonBuild.path))
		daemonBuild.path = ""
	}
}

// syncBuffer is a bytes.Buffer that a process's output and the test may
// use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Reset empties the buffer.
func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
