package archive_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/archive"
)

// openRoot makes a temporary directory and opens it as a root.
func openRoot(t *testing.T) (string, *os.Root) {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	return dir, root
}

func TestWriteThenExtractKeepsTheTree(t *testing.T) {
	srcDir, src := openRoot(t)
	require.NoError(t, os.MkdirAll(filepath.Join(srcDir, "data/sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(srcDir, "data/sub/a"), []byte("hi"), 0o640))
	require.NoError(t, os.Symlink("/data/sub/a", filepath.Join(srcDir, "data/link")))
	var tarball bytes.Buffer
	require.NoError(t, archive.Write(&tarball, src, "data"))

	tests := []struct {
		name, rename, want string
	}{
		{"into a directory", "", "data"},
		{"as a new name", "copy", "copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dstDir, dst := openRoot(t)
			require.NoError(t, archive.Extract(bytes.NewReader(tarball.Bytes()), dst, ".",
				tt.rename))
			data, err := os.ReadFile(filepath.Join(dstDir, tt.want, "sub/a"))
			require.NoError(t, err)
			assert.Equal(t, "hi", string(data))
			info, err := os.Stat(filepath.Join(dstDir, tt.want, "sub/a"))
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
			link, err := os.Readlink(filepath.Join(dstDir, tt.want, "link"))
			require.NoError(t, err)
			assert.Equal(t, "/data/sub/a", link, "symlinks are copied as they are")
		})
	}
}

func TestExtractStaysInsideTheRoot(t *testing.T) {
	outside := t.TempDir()
	dstDir, dst := openRoot(t)
	// A symlink planted in the destination points outside of it.
	require.NoError(t, os.Symlink(outside, filepath.Join(dstDir, "escape")))
	srcDir, src := openRoot(t)
	require.NoError(t, os.MkdirAll(filepath.Join(srcDir, "escape"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(srcDir, "escape/x"), []byte("x"), 0o644))
	var tarball bytes.Buffer
	require.NoError(t, archive.Write(&tarball, src, "escape"))

	err := archive.Extract(&tarball, dst, ".", "")

	assert.Error(t, err)
	assert.NoFileExists(t, filepath.Join(outside, "x"), "nothing written through the symlink")
}
