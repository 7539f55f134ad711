package tokens

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/api"
)

func TestCreateCheckRevoke(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.json")
	s := &Store{Path: path}
	token, tok, err := s.Create("alice")
	require.NoError(t, err)

	got, ok := s.Check(token)
	require.True(t, ok)
	assert.Equal(t, tok, got)
	_, ok = s.Check(token + "x")
	assert.False(t, ok, "a wrong token must not pass")
	_, ok = s.Check("")
	assert.False(t, ok)

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), token[len(prefix):], "only the hash may be kept")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Another process (here: another Store) revokes it; the first one
	// sees that at its next check.
	require.NoError(t, (&Store{Path: path}).Revoke(tok.ID))
	_, ok = s.Check(token)
	assert.False(t, ok, "a revoked token must be refused")
	assert.True(t, errors.Is(s.Revoke(tok.ID), api.ErrNotFound))
}

func TestBadTokenNames(t *testing.T) {
	s := &Store{Path: filepath.Join(t.TempDir(), "tokens.json")}
	for _, name := range []string{"", "two\nlines", string(make([]byte, 65))} {
		_, _, err := s.Create(name)
		assert.ErrorIs(t, err, api.ErrInvalid, "name %q", name)
	}
	ts, err := s.List()
	require.NoError(t, err)
	assert.Empty(t, ts, "a refused name must change nothing")
}
