package layer_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/opencontainers/go-digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase3-overlay/layer"
)

func apply(t *testing.T, dst string, data []byte, mode layer.Mode) layer.Stats {
	t.Helper()
	st, err := layer.Apply(context.Background(), dst, bytes.NewReader(data),
		layer.Options{Mode: mode})
	require.NoError(t, err)
	return st
}

func TestApplyFilesLinksAndDigest(t *testing.T) {
	data := tarOf(t,
		dir("etc/"),
		file("etc/motd", "hello\n"),
		entry{name: "bin/tool", body: "#!/bin/sh\n", typ: '0', mode: 0o4755},
		symlink("etc/link", "motd"),
		hardlink("etc/hard", "etc/motd"),
	)
	dst := t.TempDir()
	st := apply(t, dst, data, layer.Flat)

	assert.Equal(t, digest.FromBytes(data), st.DiffID, "diff ID is the digest of the tar")
	assert.Equal(t, int64(len(data)), st.Size)
	assert.Equal(t, 5, st.Entries)
	got, err := os.ReadFile(filepath.Join(dst, "etc/motd"))
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(got))
	link, err := os.Readlink(filepath.Join(dst, "etc/link"))
	require.NoError(t, err)
	assert.Equal(t, "motd", link)

	a, err := os.Stat(filepath.Join(dst, "etc/motd"))
	require.NoError(t, err)
	b, err := os.Stat(filepath.Join(dst, "etc/hard"))
	require.NoError(t, err)
	assert.True(t, os.SameFile(a, b), "hard link shares the inode")
	tool, err := os.Stat(filepath.Join(dst, "bin/tool"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeSetuid|0o755, tool.Mode()&(os.ModeSetuid|os.ModePerm))
	assert.Equal(t, int64(1700000000), a.ModTime().Unix())
}

func TestApplyGzipGivesTheSameDiffID(t *testing.T) {
	data := tarOf(t, file("a", "x"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	st := apply(t, t.TempDir(), gz.Bytes(), layer.Flat)
	assert.Equal(t, digest.FromBytes(data), st.DiffID)
}

func TestApplyWhiteoutsFlat(t *testing.T) {
	dst := t.TempDir()
	apply(t, dst, tarOf(t,
		file("keep", "1"), file("gone", "2"),
		dir("opq/"), file("opq/old", "3"), dir("opq/sub/"),
	), layer.Flat)
	apply(t, dst, tarOf(t,
		file(".wh.gone", ""),
		dir("opq/"), file("opq/.wh..wh..opq", ""), file("opq/new", "4"),
	), layer.Flat)

	assert.FileExists(t, filepath.Join(dst, "keep"))
	assert.NoFileExists(t, filepath.Join(dst, "gone"))
	assert.NoFileExists(t, filepath.Join(dst, "opq/old"))
	assert.NoDirExists(t, filepath.Join(dst, "opq/sub"))
	assert.FileExists(t, filepath.Join(dst, "opq/new"))
	assert.NoFileExists(t, filepath.Join(dst, "opq/.wh..wh..opq"), "markers are not files")
}

func TestApplyWhiteoutsOverlay(t *testing.T) {
	testkit.RequireRoot(t) // mknod and trusted.* attributes need root
	dst := t.TempDir()
	apply(t, dst, tarOf(t,
		file(".wh.gone", ""), dir("opq/"), file("opq/.wh..wh..opq", ""),
	), layer.Overlay)

	var st unix.Stat_t
	require.NoError(t, unix.Lstat(filepath.Join(dst, "gone"), &st))
	assert.Equal(t, uint32(syscall.S_IFCHR), st.Mode&syscall.S_IFMT)
	assert.Zero(t, st.Rdev, "an overlay whiteout is device 0/0")
	buf := make([]byte, 1)
	n, err := unix.Lgetxattr(filepath.Join(dst, "opq"), layer.OverlayOpaqueXattr, buf)
	require.NoError(t, err)
	assert.Equal(t, "y", string(buf[:n]))
}

func TestApplyReplacesAndMerges(t *testing.T) {
	dst := t.TempDir()
	apply(t, dst, tarOf(t, dir("d/"), file("d/a", "1"), file("f", "old")), layer.Flat)
	apply(t, dst, tarOf(t, dir("d/"), file("d/b", "2"), symlink("f", "d/a")), layer.Flat)

	assert.FileExists(t, filepath.Join(dst, "d/a"), "a directory merges")
	assert.FileExists(t, filepath.Join(dst, "d/b"))
	link, err := os.Readlink(filepath.Join(dst, "f"))
	require.NoError(t, err)
	assert.Equal(t, "d/a", link, "a file is replaced")
}
