package manifest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/reference"
)

// FuzzManifest feeds Parse arbitrary bodies and Content-Types: it must
// never panic, and whatever it accepts must be safe for the registry to
// act on (known type, usable digests). Seeds live in
// testdata/fuzz/FuzzManifest.
func FuzzManifest(f *testing.F) {
	f.Add("application/vnd.oci.image.manifest.v1+json", []byte(imageManifest))
	f.Add("", []byte(`{"schemaVersion":2,"manifests":[]}`))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		m, err := manifest.Parse(contentType, body)
		if err != nil {
			assert.ErrorIs(t, err, manifest.ErrInvalid)
			return
		}
		require.NotEmpty(t, m.MediaType)
		assert.Equal(t, m.IsIndex(), m.Config == nil)
		for _, d := range m.References() {
			_, err := reference.ParseDigest(d.String())
			assert.NoError(t, err)
		}
		if m.Subject != nil {
			_, err := reference.ParseDigest(m.Subject.Digest.String())
			assert.NoError(t, err)
		}
	})
}
