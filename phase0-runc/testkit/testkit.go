// Package testkit holds the helpers that every phase's lab tests share:
// requiring root or a host tool, building a busybox root filesystem,
// making names that never collide between tests, and reading a
// container's cgroup files on both cgroup v1 and v2 hosts.
//
// A lab test that cannot run on this machine skips with a reason, except
// in CI (the CI environment variable is "true"), where a missing
// requirement is a failure: CI runs as root with every tool installed,
// so a skip there would hide a broken set-up.
package testkit

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// InCI reports whether the tests run in continuous integration, where
// skipping a lab test is not allowed.
func InCI() bool {
	return os.Getenv("CI") == "true"
}

// skip skips the test with reason, or fails it in CI.
func skip(t testing.TB, reason string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true but this test cannot run: %s", reason)
	}
	t.Skip(reason)
}

// RequireRoot skips the test unless it runs as root, since namespaces,
// mounts and cgroups need it. In CI it fails instead.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		skip(t, "needs root: run the lab tests with sudo (make test does)")
	}
}

// RequireTool skips the test unless the named program is on PATH and
// returns its full path. In CI it fails instead.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skip(t, name+" is not installed: run make setup")
	}
	return path
}

// UniqueName returns prefix followed by a short random suffix, for
// container IDs, bridges, namespaces and chains that must not collide
// with those of a test running at the same time. The result is at most
// len(prefix)+7 characters, so a 8-character prefix still fits a Linux
// interface name (15 characters).
func UniqueName(prefix string) string {
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("testkit: no randomness: " + err.Error())
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}

// ShortTempDir returns a fresh directory under /tmp removed when the test
// ends. t.TempDir paths can grow long enough to break unix socket paths
// (108 bytes), which runc and libcontainer create inside state dirs.
func ShortTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sbf")
	if err != nil {
		t.Fatalf("make temp dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Run runs a host command and returns its combined output, failing the
// test if it does not succeed.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
