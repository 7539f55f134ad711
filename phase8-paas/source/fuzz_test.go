package source

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzUnpack feeds Unpack arbitrary bytes: it must never panic, write
// outside its directory, leave a symlink there that leads out of it, or
// pass the size limit. Seeds live in testdata/fuzz/FuzzUnpack.
func FuzzUnpack(f *testing.F) {
	f.Add(tarball(f, entry{name: "a/b", body: "hi"}, entry{name: "l", link: "a/b",
		kind: tar.TypeSymlink}))
	f.Fuzz(func(t *testing.T, data []byte) {
		top := t.TempDir()
		dest := filepath.Join(top, "dest")
		const limit = 1 << 16
		Unpack(bytes.NewReader(data), dest, limit)

		entries, err := os.ReadDir(top)
		require.NoError(t, err)
		for _, e := range entries {
			assert.Equal(t, "dest", e.Name(), "nothing is written beside the directory")
		}
		var total int64
		filepath.Walk(dest, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return nil
			}
			if info.Mode().IsRegular() {
				total += info.Size()
			}
			if info.Mode()&os.ModeSymlink == 0 {
				return nil
			}
			target, err := os.Readlink(p)
			require.NoError(t, err)
			resolved := filepath.Join(filepath.Dir(p), target)
			assert.True(t, strings.HasPrefix(resolved, dest+string(filepath.Separator)) ||
				resolved == dest, "symlink %s -> %s leads out", p, target)
			return nil
		})
		assert.LessOrEqual(t, total, int64(limit), "what is written stays within the limit")
	})
}
