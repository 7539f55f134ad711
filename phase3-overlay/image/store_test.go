package image_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/content"
	"shibafu.dev/phase3-overlay/image"
)

// newStore opens a store in a fresh directory.
func newStore(t *testing.T) *image.Store {
	t.Helper()
	s, err := image.Open(filepath.Join(t.TempDir(), "images"))
	require.NoError(t, err)
	return s
}

// dirImage makes a one-layer image named ref holding files.
func dirImage(t *testing.T, s *image.Store, ref string, files map[string]string) *image.Image {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	img, err := s.FromDir(context.Background(), ref, dir, ocispec.ImageConfig{Cmd: []string{"sh"}})
	require.NoError(t, err)
	return img
}

func TestFromDirTagListRemove(t *testing.T) {
	s := newStore(t)
	img := dirImage(t, s, "app:v1", map[string]string{"etc/app": "1"})
	assert.Len(t, img.Manifest.Layers, 1)
	assert.Equal(t, ocispec.MediaTypeImageLayerGzip, img.Manifest.Layers[0].MediaType)

	require.NoError(t, s.Tag("app:v1", "app:latest"))
	got, err := s.Get("app:latest")
	require.NoError(t, err)
	assert.Equal(t, img.Descriptor.Digest, got.Descriptor.Digest)
	byDigest, err := s.Get(img.Descriptor.Digest.String())
	require.NoError(t, err)
	assert.Equal(t, img.Config.RootFS.DiffIDs, byDigest.Config.RootFS.DiffIDs)

	list, err := s.List()
	require.NoError(t, err)
	assert.Len(t, list, 2)
	require.NoError(t, s.Remove("app:v1"))
	_, err = s.Get("app:v1")
	assert.ErrorIs(t, err, image.ErrNotFound)
	assert.ErrorIs(t, s.Tag("app:latest", "bad name!"), image.ErrInvalidRef)
}

func TestGCRemovesOnlyUnreferencedBlobs(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	keep := dirImage(t, s, "keep", map[string]string{"a": "shared"})
	drop := dirImage(t, s, "drop", map[string]string{"b": "only here"})
	stray, _, err := s.Content().Write(ctx, bytes.NewReader([]byte("stray")), "")
	require.NoError(t, err)
	require.NoError(t, s.Remove("drop"))

	removed, err := s.GC(ctx)
	require.NoError(t, err)
	assert.Contains(t, removed, stray)
	assert.Contains(t, removed, drop.Descriptor.Digest)
	assert.Contains(t, removed, drop.Manifest.Layers[0].Digest)
	for _, l := range keep.Manifest.Layers {
		assert.True(t, s.Content().Exists(l.Digest))
	}
	_, err = s.Get("keep")
	require.NoError(t, err, "the kept image is whole")

	again, err := s.GC(ctx)
	require.NoError(t, err)
	assert.Empty(t, again)
}

func TestGCKeepsExtraRoots(t *testing.T) {
	s := newStore(t)
	img := dirImage(t, s, "x", map[string]string{"a": "1"})
	require.NoError(t, s.Remove("x"))
	_, err := s.GC(context.Background(), img.Descriptor.Digest)
	require.NoError(t, err)
	assert.True(t, s.Content().Exists(img.Manifest.Layers[0].Digest))
}

func TestExportImportRoundTrip(t *testing.T) {
	src := newStore(t)
	ctx := context.Background()
	img := dirImage(t, src, "app", map[string]string{"hello": "world"})
	var archive bytes.Buffer
	require.NoError(t, src.Export(ctx, &archive, "app"))

	dst := newStore(t)
	var calls int
	images, err := dst.Import(ctx, bytes.NewReader(archive.Bytes()), image.ImportOptions{
		Progress: func(done, total int64) { calls++ },
	})
	require.NoError(t, err)
	require.Len(t, images, 1)
	assert.Equal(t, "app", images[0].Ref)
	assert.Equal(t, img.Descriptor.Digest, images[0].Descriptor.Digest, "digests survive")
	assert.Positive(t, calls)
}

func TestImportRejectsTamperedBlob(t *testing.T) {
	src := newStore(t)
	ctx := context.Background()
	img := dirImage(t, src, "app", map[string]string{"hello": "world"})
	path, err := src.Content().Path(img.Manifest.Layers[0].Digest)
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	data[len(data)/2] ^= 0xff
	require.NoError(t, os.WriteFile(path, data, 0o644))

	var archive bytes.Buffer
	err = src.Export(ctx, &archive, "app")
	assert.ErrorIs(t, err, content.ErrDigestMismatch, "export reads blobs verified")
}
