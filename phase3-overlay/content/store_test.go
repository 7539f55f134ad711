package content_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/content"
)

func TestWriteVerifiesTheDigest(t *testing.T) {
	s, err := content.Open(t.TempDir())
	require.NoError(t, err)
	ctx := context.Background()

	good := digest.FromString("hello")
	d, size, err := s.Write(ctx, strings.NewReader("hello"), good)
	require.NoError(t, err)
	assert.Equal(t, good, d)
	assert.Equal(t, int64(5), size)

	_, _, err = s.Write(ctx, strings.NewReader("tampered"), digest.FromString("other"))
	assert.ErrorIs(t, err, content.ErrDigestMismatch)
	assert.False(t, s.Exists(digest.FromString("other")), "a bad blob is not stored")
	entries, err := os.ReadDir(s.TempDir())
	require.NoError(t, err)
	assert.Empty(t, entries, "no temporary file is left")

	_, err = s.Path("sha256:../../etc")
	assert.ErrorIs(t, err, content.ErrInvalidDigest)
}

func TestReadDetectsCorruption(t *testing.T) {
	s, err := content.Open(t.TempDir())
	require.NoError(t, err)
	d, _, err := s.Write(context.Background(), strings.NewReader("original"), "")
	require.NoError(t, err)
	path, err := s.Path(d)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte("corrupt!"), 0o644))

	_, err = s.ReadAll(d, 1024)
	assert.ErrorIs(t, err, content.ErrDigestMismatch)
	_, err = s.ReadAll(digest.FromString("absent"), 1024)
	assert.ErrorIs(t, err, content.ErrNotFound)
}
