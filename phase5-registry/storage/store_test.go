package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/storage"
)

func newStore(t *testing.T) *storage.Store {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.Options{})
	require.NoError(t, err)
	return st
}

// putBlob uploads data into repository name in two chunks.
func putBlob(t *testing.T, st *storage.Store, name, data string) digest.Digest {
	t.Helper()
	u, err := st.NewUpload(name)
	require.NoError(t, err)
	half := len(data) / 2
	_, err = u.Append(context.Background(), strings.NewReader(data[:half]), 0, 0)
	require.NoError(t, err)
	_, err = u.Append(context.Background(), strings.NewReader(data[half:]), int64(half), 0)
	require.NoError(t, err)
	d := digest.FromString(data)
	require.NoError(t, u.Commit(d))
	return d
}

// putImage stores a manifest with config cfg and no layers as name:tag.
func putImage(t *testing.T, st *storage.Store, name, tag string, cfg digest.Digest) digest.Digest {
	t.Helper()
	body := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` +
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"` +
		cfg.String() + `","size":2},"layers":[]}`
	m, err := manifest.Parse("", []byte(body))
	require.NoError(t, err)
	d := digest.FromString(body)
	require.NoError(t, st.PutManifest(name, tag, d, []byte(body), m))
	return d
}

func TestBlobsAreSharedAcrossRepositories(t *testing.T) {
	st := newStore(t)
	d := putBlob(t, st, "a", "{}")
	_, err := st.StatBlob("b", d)
	assert.ErrorIs(t, err, storage.ErrBlobUnknown, "b has not pushed or mounted it")

	require.NoError(t, st.MountBlob("b", "a", d))
	size, err := st.StatBlob("b", d)
	require.NoError(t, err)
	assert.Equal(t, int64(2), size)

	require.NoError(t, st.DeleteBlob("a", d))
	_, err = st.StatBlob("a", d)
	assert.ErrorIs(t, err, storage.ErrBlobUnknown)
	_, err = st.StatBlob("b", d)
	assert.NoError(t, err, "deleting from a leaves b's link")
}

func TestUploadRefusesBadChunksAndDigests(t *testing.T) {
	st := newStore(t)
	u, err := st.NewUpload("a")
	require.NoError(t, err)
	_, err = u.Append(context.Background(), strings.NewReader("abc"), 5, 0)
	assert.ErrorIs(t, err, storage.ErrRangeInvalid)
	_, err = u.Append(context.Background(), strings.NewReader("abcdef"), -1, 4)
	assert.ErrorIs(t, err, storage.ErrTooLarge)

	u, err = st.NewUpload("a")
	require.NoError(t, err)
	_, err = u.Append(context.Background(), strings.NewReader("abc"), 0, 0)
	require.NoError(t, err)
	assert.ErrorIs(t, u.Commit(digest.FromString("xyz")), storage.ErrDigestMismatch)
	assert.False(t, st.HasBlob(digest.FromString("abc")), "nothing is stored")
	_, err = st.GetUpload("a", u.ID())
	assert.ErrorIs(t, err, storage.ErrUploadUnknown, "the upload is gone")
}

func TestGC(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	used := putBlob(t, st, "app", "{}")
	orphan := putBlob(t, st, "app", "nobody needs me")
	img := putImage(t, st, "app", "v1", used)
	_, err := st.NewUpload("app") // left unfinished
	require.NoError(t, err)

	report, err := st.GC(ctx, storage.GCOptions{Grace: time.Hour})
	require.NoError(t, err)
	assert.Empty(t, report.Removed, "everything is younger than the grace period")
	assert.Zero(t, report.Uploads)

	report, err = st.GC(ctx, storage.GCOptions{DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, []digest.Digest{orphan}, report.Removed)
	assert.True(t, st.HasBlob(orphan), "a dry run removes nothing")

	report, err = st.GC(ctx, storage.GCOptions{})
	require.NoError(t, err)
	assert.Equal(t, []digest.Digest{orphan}, report.Removed)
	assert.Equal(t, 1, report.Uploads)
	assert.Equal(t, 2, report.Kept, "the manifest and its config")
	assert.True(t, st.HasBlob(used))
	assert.True(t, st.HasBlob(img))
	_, err = st.StatBlob("app", orphan)
	assert.ErrorIs(t, err, storage.ErrBlobUnknown)

	require.NoError(t, st.DeleteManifest("app", img))
	_, err = st.ResolveTag("app", "v1")
	assert.ErrorIs(t, err, storage.ErrManifestUnknown, "deleting a manifest drops its tags")
	report, err = st.GC(ctx, storage.GCOptions{})
	require.NoError(t, err)
	assert.ElementsMatch(t, []digest.Digest{used, img}, report.Removed)
}
