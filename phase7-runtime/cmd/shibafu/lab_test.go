package main

import (
	"bytes"
	"encoding/json"
	"errors"
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
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/nettest"
	"shibafu.dev/phase6-dns/dns"

	"shibafu.dev/phase7-runtime/api"
)

// subnetOctet is phase 7's slice of the test address space,
// 10.220.0.0/16; see nettest.Subnet.
const subnetOctet = 220

// TestMain lets the test binary serve as a container's init and shim, as
// package container requires of every binary that links it.
func TestMain(m *testing.M) {
	container.Reexec()
	code := m.Run()
	testkit.RemoveBinaries()
	os.Exit(code)
}

// lab is one test's daemon, on a state root, socket, default network,
// subnet and iptables chain prefix of its own, with the checks that
// nothing is left behind when the test ends.
type lab struct {
	t       *testing.T
	dir     string
	root    string
	socket  string
	cli     string
	prefix  string
	network string
	leaks   *nettest.Leaks
	daemon  *exec.Cmd
	dlog    *bytes.Buffer
	ids     []string
	// flags are further flags of shibafud.
	flags []string
}

// newLab starts a daemon of the test, with daemonFlags added to its
// command line, and makes the busybox image.
func newLab(t *testing.T, daemonFlags ...string) *lab {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	l := &lab{t: t, prefix: testkit.UniqueName("SBF7"), network: testkit.UniqueName("d"),
		flags: daemonFlags}
	l.leaks = nettest.TrackLeaks(t, l.prefix)
	l.leaks.Link(l.network)
	l.dir = testkit.ShortTempDir(t)
	l.root = filepath.Join(l.dir, "root")
	l.socket = filepath.Join(l.dir, "shibafu.sock")
	l.cli = testkit.Binary(t, "shibafu")
	subnet := nettest.Subnet(t, subnetOctet)

	l.startDaemon(subnet)
	t.Cleanup(l.cleanUp)
	l.ok("build-base", "busybox")
	return l
}

// startDaemon starts shibafud and waits until it answers.
func (l *lab) startDaemon(subnet netip.Prefix) {
	l.t.Helper()
	l.dlog = &bytes.Buffer{}
	l.daemon = exec.Command(daemonBinary(l.t), "--root", l.root, "--socket", l.socket,
		"--network", l.network, "--subnet", subnet.String(), "--chain-prefix", l.prefix,
		"--no-dns-forward", "--stop-timeout", "2s", "--stats-interval", "500ms")
	l.daemon.Args = append(l.daemon.Args, l.flags...)
	l.daemon.Stdout, l.daemon.Stderr = l.dlog, l.dlog
	require.NoError(l.t, l.daemon.Start())
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, _, err := l.sh("info"); err == nil {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("shibafud did not come up:\n%s", l.dlog)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stopDaemon ends the daemon with sig and waits for it.
func (l *lab) stopDaemon(sig syscall.Signal) {
	l.t.Helper()
	require.NoError(l.t, l.daemon.Process.Signal(sig))
	l.daemon.Wait()
}

// cleanUp removes every container and network through the CLI, stops
// the daemon, and checks that nothing the runtime made is left.
func (l *lab) cleanUp() {
	t := l.t
	if ids := strings.Fields(l.ok("ps", "-a", "-q")); len(ids) > 0 {
		l.ok(append([]string{"rm", "-f"}, ids...)...)
	}
	for _, n := range strings.Fields(l.ok("network", "ls", "-q")) {
		l.ok("network", "rm", n)
	}
	l.stopDaemon(syscall.SIGTERM)
	if t.Failed() {
		t.Logf("shibafud's log:\n%s", l.dlog)
	}

	mounts, err := os.ReadFile("/proc/self/mountinfo")
	require.NoError(t, err)
	assert.NotContains(t, string(mounts), l.dir, "leak: a mount under the state root")
	for _, id := range l.ids {
		cgroups, _ := filepath.Glob("/sys/fs/cgroup/*/shibafu/" + id)
		v2, _ := filepath.Glob("/sys/fs/cgroup/shibafu/" + id)
		assert.Empty(t, append(cgroups, v2...), "leak: cgroups of %s", id)
	}
	zone, err := dns.OpenZone(dns.StateFile(l.root))
	require.NoError(t, err)
	assert.Empty(t, zone.List(""), "leak: DNS records")
}

// sh runs the CLI and returns its stdout and stderr.
func (l *lab) sh(args ...string) (string, string, error) {
	cmd := exec.Command(l.cli, args...)
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// ok runs the CLI, requires it to succeed, and returns its stdout.
func (l *lab) ok(args ...string) string {
	l.t.Helper()
	stdout, stderr, err := l.sh(args...)
	require.NoError(l.t, err, "shibafu %s:\n%s%s", strings.Join(args, " "), stdout, stderr)
	return stdout
}

// fail runs the CLI, requires it to fail with the error exit code, and
// returns its stderr.
func (l *lab) fail(args ...string) string {
	l.t.Helper()
	stdout, stderr, err := l.sh(args...)
	var exit *exec.ExitError
	require.True(l.t, errors.As(err, &exit), "shibafu %s should fail:\n%s%s",
		strings.Join(args, " "), stdout, stderr)
	assert.Equal(l.t, 125, exit.ExitCode())
	return stderr
}

// run starts a detached container and returns its ID; its veths and
// cgroups are checked for leaks when the test ends.
func (l *lab) run(args ...string) string {
	l.t.Helper()
	id := strings.TrimSpace(l.ok(append([]string{"run", "-d"}, args...)...))
	l.ids = append(l.ids, id)
	for _, ep := range l.inspect(id).Networks {
		l.leaks.Link(ep.HostVeth)
	}
	return id
}

// inspect returns what the daemon knows of a container.
func (l *lab) inspect(id string) api.Container {
	l.t.Helper()
	var out []api.Container
	require.NoError(l.t, json.Unmarshal([]byte(l.ok("inspect", id)), &out))
	require.Len(l.t, out, 1)
	return out[0]
}

// waitStatus waits until the container has status.
func (l *lab) waitStatus(id, status string) api.Container {
	l.t.Helper()
	var c api.Container
	require.Eventually(l.t, func() bool {
		c = l.inspect(id)
		return c.State.Status == status
	}, 20*time.Second, 100*time.Millisecond, "container %s never became %s", id, status)
	return c
}

var daemonBuild struct {
	sync.Mutex
	path string
}

// daemonBinary builds shibafud once per test binary, beside the CLI
// that testkit.Binary built, so RemoveBinaries deletes both.
func daemonBinary(t *testing.T) string {
	t.Helper()
	daemonBuild.Lock()
	defer daemonBuild.Unlock()
	if daemonBuild.path != "" {
		return daemonBuild.path
	}
	path := filepath.Join(filepath.Dir(testkit.Binary(t, "shibafu")), "shibafud")
	out, err := exec.Command("go", "build", "-o", path, "../shibafud").CombinedOutput()
	require.NoError(t, err, "go build shibafud:\n%s", out)
	daemonBuild.path = path
	return path
}
