package certs

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreSaveLoad(t *testing.T) {
	dir := t.TempDir()
	fb, err := loadFallback(filepath.Join(dir, "fallback"), "example.test")
	require.NoError(t, err)
	certPEM, err := os.ReadFile(filepath.Join(dir, "fallback", "cert.pem"))
	require.NoError(t, err)
	keyPEM, err := os.ReadFile(filepath.Join(dir, "fallback", "key.pem"))
	require.NoError(t, err)

	s := dirStore{dir: dir}
	require.NoError(t, s.save("www.example.test", certPEM, keyPEM))
	got, err := s.load("www.example.test")
	require.NoError(t, err)
	assert.Equal(t, fb.Leaf.SerialNumber, got.Leaf.SerialNumber)

	key, err := os.Stat(filepath.Join(dir, "live", "www.example.test", "key.pem"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), key.Mode().Perm(), "the key is root's only")

	_, err = s.load("other.example.test")
	assert.ErrorIs(t, err, os.ErrNotExist)
	for _, bad := range []string{"", "../x", "a/b", ".hidden"} {
		assert.Error(t, s.save(bad, certPEM, keyPEM), "%q", bad)
	}
}

func TestFallback(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fallback")
	fb, err := loadFallback(dir, "shibafu.localhost")
	require.NoError(t, err)
	assert.Equal(t, []string{"*.shibafu.localhost", "shibafu.localhost"}, fb.Leaf.DNSNames)
	assert.NoError(t, fb.Leaf.VerifyHostname("hello.shibafu.localhost"))
	assert.Greater(t, time.Until(fb.Leaf.NotAfter), 300*24*time.Hour)

	again, err := loadFallback(dir, "shibafu.localhost")
	require.NoError(t, err)
	assert.Equal(t, fb.Leaf.SerialNumber, again.Leaf.SerialNumber, "made once, then reused")

	other, err := loadFallback(dir, "example.test")
	require.NoError(t, err)
	assert.Equal(t, "*.example.test", other.Leaf.DNSNames[0], "remade for a new domain")

	key, err := loadOrCreateKey(filepath.Join(t.TempDir(), "account.key"))
	require.NoError(t, err)
	assert.NotNil(t, key)
}
