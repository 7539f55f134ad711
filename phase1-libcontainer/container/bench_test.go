package container_test

import (
	"testing"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
)

// BenchmarkRunEchoHi measures a whole container life through the
// package: create, start, `echo hi` (output discarded), exit, destroy,
// remove. The busybox root filesystem is built once and shared.
func BenchmarkRunEchoHi(b *testing.B) {
	testkit.RequireRoot(b)
	m := &container.Manager{Root: testkit.ShortTempDir(b)}
	rootfs := testkit.BusyboxRootfs(b)
	spec, err := bundle.Spec(bundle.Options{Args: []string{"echo", "hi"}})
	if err != nil {
		b.Fatal(err)
	}

	for i := 0; b.Loop(); i++ {
		cfg := container.Config{
			ID: testkit.UniqueName("bench"), Spec: spec, Rootfs: rootfs, AutoRemove: true,
		}
		exit, err := m.Run(b.Context(), cfg, container.Stdio{})
		if err != nil {
			b.Fatal(err)
		}
		if exit.Code != 0 {
			b.Fatalf("echo hi exited with %d", exit.Code)
		}
	}
}
