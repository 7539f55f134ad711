// Package labtest holds what the lab tests of phase 5 share: images of
// random content to push around, and a registry on a loopback port.
package labtest

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase5-registry/registry"
	"shibafu.dev/phase5-registry/storage"
)

// Registry serves a fresh registry on 127.0.0.1:0 until the test ends
// and returns its "host:port" and its store.
func Registry(t testing.TB) (string, *storage.Store) {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.Options{NoSync: true})
	require.NoError(t, err)
	srv := httptest.NewServer(&registry.Server{Store: st})
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), st
}

// Images opens an empty image store in a temporary directory.
func Images(t testing.TB) *image.Store {
	t.Helper()
	store, err := image.Open(filepath.Join(t.TempDir(), "images"))
	require.NoError(t, err)
	return store
}

// RandomImage adds to store an image named ref with one layer per size
// given, each a tar holding one file of that many random bytes, so that
// layers neither compress nor repeat.
func RandomImage(t testing.TB, store *image.Store, ref string, sizes ...int64) *image.Image {
	t.Helper()
	ctx := context.Background()
	var layers []image.Layer
	for i, size := range sizes {
		desc, diffID, err := store.WriteLayer(ctx, func(w io.Writer) error {
			return randomTar(w, fmt.Sprintf("layer%d.bin", i), size)
		})
		require.NoError(t, err)
		layers = append(layers, image.Layer{Descriptor: desc, DiffID: diffID,
			History: ocispec.History{CreatedBy: "labtest random layer"}})
	}
	img, err := store.Create(ctx, ref, nil, ocispec.ImageConfig{Cmd: []string{"sh"}}, layers...)
	require.NoError(t, err)
	return img
}

func randomTar(w io.Writer, name string, size int64) error {
	tw := tar.NewWriter(w)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size,
		Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	if _, err := io.CopyN(tw, rand.Reader, size); err != nil {
		return err
	}
	return tw.Close()
}
