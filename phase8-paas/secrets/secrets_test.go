package secrets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyFileIsMadeOnceWithMode0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	box, err := LoadOrCreate(path)
	require.NoError(t, err)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	sealed := box.Seal([]byte("hunter2"), []byte("app/DB_PASSWORD"))
	again, err := LoadOrCreate(path)
	require.NoError(t, err)
	plain, err := again.Open(sealed, []byte("app/DB_PASSWORD"))
	require.NoError(t, err, "a second start must read the same key")
	assert.Equal(t, "hunter2", string(plain))
}

func TestSealedValueHidesAndBindsItsContext(t *testing.T) {
	box, err := New(make([]byte, KeySize))
	require.NoError(t, err)
	sealed := box.Seal([]byte("hunter2"), []byte("app/A"))
	assert.NotContains(t, string(sealed), "hunter2")
	assert.NotEqual(t, sealed, box.Seal([]byte("hunter2"), []byte("app/A")),
		"each seal has a fresh nonce")

	_, err = box.Open(sealed, []byte("app/B"))
	assert.Error(t, err, "a value moved to another name must not open")
	sealed[len(sealed)-1] ^= 1
	_, err = box.Open(sealed, []byte("app/A"))
	assert.Error(t, err, "a damaged value must not open")
	_, err = box.Open([]byte("short"), nil)
	assert.Error(t, err)
}

func TestKeyFileOthersCanReadIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	require.NoError(t, os.WriteFile(path, make([]byte, KeySize), 0o644))
	_, err := LoadOrCreate(path)
	assert.ErrorContains(t, err, "want 0600")

	require.NoError(t, os.Remove(path))
	require.NoError(t, os.WriteFile(path, []byte("short"), 0o600))
	_, err = LoadOrCreate(path)
	assert.ErrorContains(t, err, "want 32")
}
