package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase5-registry/client"
	"shibafu.dev/phase5-registry/internal/labtest"
	"shibafu.dev/phase5-registry/reference"
)

// skopeo runs skopeo against the plain-HTTP test registry.
func skopeo(t *testing.T, args ...string) []byte {
	t.Helper()
	out, err := exec.Command("skopeo", args...).CombinedOutput()
	require.NoError(t, err, "skopeo %v: %s", args, out)
	return out
}

// layoutManifest returns the descriptor of the only image of an OCI
// layout that skopeo wrote.
func layoutManifest(t *testing.T, dir string) ocispec.Descriptor {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	require.NoError(t, err)
	var idx ocispec.Index
	require.NoError(t, json.Unmarshal(data, &idx))
	require.Len(t, idx.Manifests, 1)
	return idx.Manifests[0]
}

// sameBlob asserts that blob d is byte for byte the same in two layouts.
func sameBlob(t *testing.T, a, b string, d digest.Digest) {
	t.Helper()
	x, err := os.ReadFile(filepath.Join(a, "blobs", "sha256", d.Encoded()))
	require.NoError(t, err)
	y, err := os.ReadFile(filepath.Join(b, "blobs", "sha256", d.Encoded()))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(x, y), "blob %s differs", d)
	assert.Equal(t, d, digest.FromBytes(y))
}

// TestSkopeoRoundTrip pushes an image with skopeo and pulls it back with
// skopeo: manifest and blobs come back byte-identical.
func TestSkopeoRoundTrip(t *testing.T) {
	testkit.RequireTool(t, "skopeo")
	host, _ := labtest.Registry(t)
	store := labtest.Images(t)
	img := labtest.RandomImage(t, store, "app", 1<<20, 3<<20, 100)
	back := filepath.Join(t.TempDir(), "back")

	skopeo(t, "copy", "-q", "--preserve-digests", "--dest-tls-verify=false",
		"oci:"+store.Dir()+":app", "docker://"+host+"/skopeo/app:v1")
	skopeo(t, "copy", "-q", "--preserve-digests", "--src-tls-verify=false",
		"docker://"+host+"/skopeo/app:v1", "oci:"+back+":v1")

	got := layoutManifest(t, back)
	assert.Equal(t, img.Descriptor.Digest, got.Digest)
	sameBlob(t, store.Dir(), back, got.Digest)
	sameBlob(t, store.Dir(), back, img.Manifest.Config.Digest)
	for _, l := range img.Manifest.Layers {
		sameBlob(t, store.Dir(), back, l.Digest)
	}
}

// TestSkopeoPullsClientPush pushes with this phase's client (an index of
// two platforms) and pulls with skopeo; skopeo-pushed images are pulled
// by the client.
func TestSkopeoPullsClientPush(t *testing.T) {
	testkit.RequireTool(t, "skopeo")
	host, _ := labtest.Registry(t)
	store := labtest.Images(t)
	img := labtest.RandomImage(t, store, "app", 2<<20, 100)
	ctx := context.Background()
	c := &client.Client{}
	ref, err := reference.Parse(host + "/client/app:v1")
	require.NoError(t, err)

	_, err = c.Push(ctx, store, "app", ref)
	require.NoError(t, err)
	raw := skopeo(t, "inspect", "--raw", "--tls-verify=false", "docker://"+ref.String())
	want, err := store.Content().ReadAll(img.Descriptor.Digest, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(raw), "skopeo sees the manifest as pushed")

	back := filepath.Join(t.TempDir(), "back")
	skopeo(t, "copy", "-q", "--preserve-digests", "--src-tls-verify=false",
		"docker://"+ref.String(), "oci:"+back+":v1")
	assert.Equal(t, img.Descriptor.Digest, layoutManifest(t, back).Digest)
	for _, l := range img.Manifest.Layers {
		sameBlob(t, store.Dir(), back, l.Digest)
	}

	// And the other way: what skopeo pushed, the client pulls.
	skopeo(t, "copy", "-q", "--dest-tls-verify=false", "oci:"+back+":v1",
		"docker://"+host+"/skopeo/again:v2")
	dst := labtest.Images(t)
	from, err := reference.Parse(host + "/skopeo/again:v2")
	require.NoError(t, err)
	desc, err := c.Pull(ctx, dst, from, "again")
	require.NoError(t, err)
	assert.Equal(t, img.Descriptor.Digest, desc.Digest)
}
