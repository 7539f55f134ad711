package layer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase3-overlay/layer"
)

func TestPackRoundTripIsReproducible(t *testing.T) {
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "a/b"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(src, "a/b/f"), []byte("data"), 0o640))
	require.NoError(t, os.Link(filepath.Join(src, "a/b/f"), filepath.Join(src, "a/g")))
	require.NoError(t, os.Symlink("b/f", filepath.Join(src, "a/l")))

	var one, two bytes.Buffer
	require.NoError(t, layer.Pack(context.Background(), &one, src))
	require.NoError(t, layer.Pack(context.Background(), &two, src))
	assert.Equal(t, one.Bytes(), two.Bytes(), "the same tree packs to the same bytes")

	dst := t.TempDir()
	apply(t, dst, one.Bytes(), layer.Flat)
	data, err := os.ReadFile(filepath.Join(dst, "a/g"))
	require.NoError(t, err)
	assert.Equal(t, "data", string(data))
	info, err := os.Stat(filepath.Join(dst, "a/b"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o750), info.Mode().Perm())
	f, _ := os.Stat(filepath.Join(dst, "a/b/f"))
	g, _ := os.Stat(filepath.Join(dst, "a/g"))
	assert.True(t, os.SameFile(f, g), "hard links survive the round trip")
}

func TestDiffTurnsOverlayMarkersIntoWhiteouts(t *testing.T) {
	testkit.RequireRoot(t)
	upper := t.TempDir()
	require.NoError(t, unix.Mknod(filepath.Join(upper, "deleted"), unix.S_IFCHR, 0))
	require.NoError(t, os.Mkdir(filepath.Join(upper, "opq"), 0o755))
	require.NoError(t, unix.Lsetxattr(filepath.Join(upper, "opq"), layer.OverlayOpaqueXattr,
		[]byte("y"), 0))
	require.NoError(t, os.WriteFile(filepath.Join(upper, "opq/new"), []byte("n"), 0o644))

	var buf bytes.Buffer
	require.NoError(t, layer.Diff(context.Background(), &buf, upper))

	// Applied flat over a lower tree, the diff deletes and hides.
	dst := t.TempDir()
	apply(t, dst, tarOf(t, file("deleted", "x"), dir("opq/"), file("opq/old", "o")), layer.Flat)
	apply(t, dst, buf.Bytes(), layer.Flat)
	assert.NoFileExists(t, filepath.Join(dst, "deleted"))
	assert.NoFileExists(t, filepath.Join(dst, "opq/old"))
	assert.FileExists(t, filepath.Join(dst, "opq/new"))
}
