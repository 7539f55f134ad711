package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase5-registry/client"
	"shibafu.dev/phase5-registry/internal/labtest"
	"shibafu.dev/phase5-registry/reference"
)

func startRegistry(t *testing.T) string {
	host, _ := labtest.Registry(t)
	return host
}

// newImages returns an image store holding "app", three layers of
// random bytes.
func newImages(t *testing.T) *image.Store {
	store := labtest.Images(t)
	labtest.RandomImage(t, store, "app", 300<<10, 3<<20, 10)
	return store
}

func mustParse(t *testing.T, s string) reference.Reference {
	t.Helper()
	ref, err := reference.Parse(s)
	require.NoError(t, err)
	return ref
}

func TestPushPullRoundTrip(t *testing.T) {
	host := startRegistry(t)
	src := newImages(t)
	ctx := context.Background()
	c := &client.Client{}

	pushed, err := c.Push(ctx, src, "app", mustParse(t, host+"/shibafu/app:v1"))
	require.NoError(t, err)
	tags, err := c.Tags(ctx, mustParse(t, host+"/shibafu/app"))
	require.NoError(t, err)
	assert.Equal(t, []string{"v1"}, tags)

	dst, err := image.Open(filepath.Join(t.TempDir(), "images"))
	require.NoError(t, err)
	pulled, err := c.Pull(ctx, dst, mustParse(t, host+"/shibafu/app:v1"), "")
	require.NoError(t, err)
	assert.Equal(t, pushed.Digest, pulled.Digest)
	img, err := dst.Get("shibafu/app:v1")
	require.NoError(t, err)
	orig, err := src.Get("app")
	require.NoError(t, err)
	assert.Equal(t, orig.Manifest, img.Manifest)

	// A second push to another repository mounts every blob.
	var uploads atomic.Int64
	c.HTTP = &http.Client{Transport: countPatches{&uploads}}
	_, err = c.Push(ctx, src, "app", mustParse(t, host+"/other/app:v2"))
	require.NoError(t, err)
	assert.Zero(t, uploads.Load(), "no blob is sent twice")
}

type countPatches struct{ n *atomic.Int64 }

func (c countPatches) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPatch {
		c.n.Add(1)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// flaky cuts the body of the first PATCH it sees half-way, as a network
// failure would.
type flaky struct {
	cut atomic.Bool
}

func (f *flaky) RoundTrip(req *http.Request) (*http.Response, error) {
	big := req.Method == http.MethodPatch && req.ContentLength > 1<<20
	if big && f.cut.CompareAndSwap(false, true) {
		req.Body = io.NopCloser(&failAfter{r: req.Body, n: req.ContentLength / 2})
	}
	return http.DefaultTransport.RoundTrip(req)
}

type failAfter struct {
	r io.Reader
	n int64
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection cut by the test")
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= int64(n)
	return n, err
}

// TestPushResumes cuts an upload half-way: the client asks the registry
// how far it got and sends only the rest.
func TestPushResumes(t *testing.T) {
	host := startRegistry(t)
	src := newImages(t)
	ft := &flaky{}
	c := &client.Client{HTTP: &http.Client{Transport: ft}, Parallel: 1}
	desc, err := c.Push(context.Background(), src, "app", mustParse(t, host+"/r/app:v1"))
	require.NoError(t, err)
	assert.True(t, ft.cut.Load(), "the test cut an upload")

	_, body, err := (&client.Client{}).Inspect(context.Background(),
		mustParse(t, host+"/r/app@"+desc.Digest.String()))
	require.NoError(t, err)
	assert.Equal(t, desc.Digest, digest.FromBytes(body))
}

// TestPushIndex pushes a two-platform index and pulls it back whole.
func TestPushIndex(t *testing.T) {
	host := startRegistry(t)
	src := newImages(t)
	ctx := context.Background()
	idx := writeIndex(t, src, "app")

	c := &client.Client{}
	pushed, err := c.Push(ctx, src, "multi", mustParse(t, host+"/r/multi:v1"))
	require.NoError(t, err)
	assert.Equal(t, idx.Digest, pushed.Digest)
	assert.Equal(t, ocispec.MediaTypeImageIndex, pushed.MediaType)

	dst, err := image.Open(filepath.Join(t.TempDir(), "images"))
	require.NoError(t, err)
	_, err = c.Pull(ctx, dst, mustParse(t, host+"/r/multi:v1"), "multi")
	require.NoError(t, err)
	_, err = dst.Get("multi")
	require.NoError(t, err, "the pulled index resolves to this machine's platform")
}

// writeIndex stores an index "multi" listing image ref for two platforms.
func writeIndex(t *testing.T, store *image.Store, ref string) ocispec.Descriptor {
	t.Helper()
	img, err := store.Get(ref)
	require.NoError(t, err)
	m := img.Descriptor
	m.Annotations = nil
	amd, arm := m, m
	amd.Platform = &ocispec.Platform{OS: "linux", Architecture: "amd64"}
	arm.Platform = &ocispec.Platform{OS: "linux", Architecture: "arm64"}
	idx := ocispec.Index{MediaType: ocispec.MediaTypeImageIndex,
		Manifests: []ocispec.Descriptor{amd, arm}}
	idx.SchemaVersion = 2
	data, err := json.Marshal(idx)
	require.NoError(t, err)
	d, size, err := store.Content().Write(context.Background(), bytes.NewReader(data), "")
	require.NoError(t, err)
	desc := ocispec.Descriptor{MediaType: ocispec.MediaTypeImageIndex, Digest: d, Size: size}
	require.NoError(t, store.SetRef("multi", desc))
	return desc
}
