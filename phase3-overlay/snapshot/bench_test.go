package snapshot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/rootfs"
	"shibafu.dev/phase3-overlay/internal/labtest"
)

// BenchmarkPrepare measures preparing a container root as an overlay
// snapshot of an image whose layers are already unpacked: a mkdir and a
// mount(2), then the unmount and removal.
func BenchmarkPrepare(b *testing.B) {
	env := labtest.New(b)
	ctx := context.Background()
	_, err := env.Images.Busybox(ctx, "busybox")
	require.NoError(b, err)
	b.ResetTimer()
	for i := range b.N {
		name := fmt.Sprintf("b%d", i)
		if _, err := env.Snapshots.Prepare(ctx, name, "busybox"); err != nil {
			b.Fatal(err)
		}
		if err := env.Snapshots.Remove(name); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCopyRootfs measures the alternative: copying the tree.
func BenchmarkCopyRootfs(b *testing.B) {
	src := filepath.Join(b.TempDir(), "src")
	require.NoError(b, rootfs.Busybox("", src))
	b.ResetTimer()
	for i := range b.N {
		if err := rootfs.FromDir(src, filepath.Join(b.TempDir(), fmt.Sprint(i))); err != nil {
			b.Fatal(err)
		}
	}
}
