package manifest_test

import (
	"strings"
	"testing"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/manifest"
)

const (
	d1 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	d2 = "sha256:1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

	imageManifest = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
"config":{"mediaType":"application/vnd.oci.image.config.v1+json",
  "digest":"` + d1 + `","size":2},
"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",
  "digest":"` + d2 + `","size":9},
{"mediaType":"application/vnd.oci.image.layer.nondistributable.v1.tar",
  "digest":"` + d2 + `","size":9}],
"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + d1 + `","size":3}}`
)

func TestParseImageManifest(t *testing.T) {
	m, err := manifest.Parse(ocispec.MediaTypeImageManifest, []byte(imageManifest))
	require.NoError(t, err)
	assert.False(t, m.IsIndex())
	assert.Equal(t, ocispec.MediaTypeImageConfig, m.ArtifactType)
	assert.Len(t, m.Blobs(), 2, "the config and the one distributable layer")
	require.NotNil(t, m.Subject)
	assert.Equal(t, d1, m.Subject.Digest.String())
}

func TestParseIndexByShape(t *testing.T) {
	m, err := manifest.Parse("", []byte(`{"schemaVersion":2,"manifests":[{"mediaType":`+
		`"application/vnd.oci.image.manifest.v1+json","digest":"`+d1+`","size":3}]}`))
	require.NoError(t, err)
	assert.Equal(t, ocispec.MediaTypeImageIndex, m.MediaType)
	assert.Len(t, m.References(), 1)
}

func TestParseRejects(t *testing.T) {
	tests := map[string]struct{ contentType, body string }{
		"not JSON":           {"", "{"},
		"two documents":      {"", `{"schemaVersion":2,"manifests":[]} {}`},
		"schema 1":           {"", `{"schemaVersion":1}`},
		"no config":          {ocispec.MediaTypeImageManifest, `{"schemaVersion":2}`},
		"unknown media type": {"", `{"schemaVersion":2,"mediaType":"text/html"}`},
		"type mismatch": {ocispec.MediaTypeImageIndex,
			`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}`},
		"bad digest": {"", `{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:1",` +
			`"size":1}]}`},
		"negative size": {"", `{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"` + d1 +
			`","size":-1}]}`},
		"too large": {"", `{"schemaVersion":2,"x":"` + strings.Repeat("a", manifest.MaxSize) + `"}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := manifest.Parse(tc.contentType, []byte(tc.body))
			assert.ErrorIs(t, err, manifest.ErrInvalid)
		})
	}
}
