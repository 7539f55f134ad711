package testkit

import (
	"os"
	"path/filepath"
	"testing"

	"shibafu.dev/phase0-runc/rootfs"
)

// BusyboxRootfs builds a fresh busybox root filesystem for one test and
// returns its path; it is removed when the test ends. Building one takes a
// few milliseconds (one 2 MB copy and some 270 symbolic links), so tests
// never share a tree that another test might write to.
func BusyboxRootfs(t testing.TB) string {
	t.Helper()
	return BusyboxRootfsIn(t, ShortTempDir(t))
}

// BusyboxRootfsIn builds a busybox root filesystem in dir/rootfs, the
// place an OCI bundle in dir expects it, and returns its path.
func BusyboxRootfsIn(t testing.TB, dir string) string {
	t.Helper()
	if _, err := os.Stat(rootfs.DefaultBusybox); err != nil {
		skip(t, "busybox-static is not installed: run make setup")
	}
	dst := filepath.Join(dir, "rootfs")
	if err := rootfs.Busybox("", dst); err != nil {
		t.Fatalf("build busybox rootfs: %v", err)
	}
	return dst
}
