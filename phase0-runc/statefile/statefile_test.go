package statefile

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteAndReadJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	require.NoError(t, WriteJSON(path, map[string]int{"a": 1}))

	var got map[string]int
	require.NoError(t, ReadJSON(path, &got))
	assert.Equal(t, map[string]int{"a": 1}, got)

	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json-*"))
	assert.Empty(t, leftovers, "no temporary file is left behind")
}

func TestReadJSONErrors(t *testing.T) {
	dir := t.TempDir()
	var v any
	assert.ErrorIs(t, ReadJSON(filepath.Join(dir, "none.json"), &v), os.ErrNotExist)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{"), 0o600))
	assert.ErrorContains(t, ReadJSON(bad, &v), "parse")
}

func TestWriteFileReplacesWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	require.NoError(t, WriteFile(path, []byte("a long first version"), 0o644))
	require.NoError(t, WriteFile(path, []byte("short"), 0o644))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "short", string(data))
}

// TestLockSerializes counts with a read-modify-write under the lock from
// many goroutines (each Lock opens its own file description, as separate
// processes would): no increment may be lost.
func TestLockSerializes(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "count.json")
	require.NoError(t, WriteJSON(state, 0))

	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			lock, err := Lock(filepath.Join(dir, "lock"))
			if !assert.NoError(t, err) {
				return
			}
			defer lock.Close()
			var n int
			assert.NoError(t, ReadJSON(state, &n))
			assert.NoError(t, WriteJSON(state, n+1))
		})
	}
	wg.Wait()

	var n int
	require.NoError(t, ReadJSON(state, &n))
	assert.Equal(t, 20, n)
}
