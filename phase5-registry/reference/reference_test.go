package reference_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/reference"
)

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParse(t *testing.T) {
	tests := []struct {
		in              string
		host, name, tag string
		digest          string
	}{
		{"127.0.0.1:5000/busybox", "127.0.0.1:5000", "busybox", "latest", ""},
		{"localhost:5000/library/busybox:1.36", "localhost:5000", "library/busybox", "1.36", ""},
		{"h/a/b@sha256:" + hex64, "h", "a/b", "", "sha256:" + hex64},
		{"h/a:v1@sha256:" + hex64, "h", "a", "v1", "sha256:" + hex64},
		{"h/a__b/c-d.e:V_1", "h", "a__b/c-d.e", "V_1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ref, err := reference.Parse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.host, ref.Host)
			assert.Equal(t, tc.name, ref.Name)
			assert.Equal(t, tc.tag, ref.Tag)
			assert.Equal(t, tc.digest, ref.Digest.String())
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"busybox", "h/", "h/../etc", "h/a/../b", "h/A", "h/a:", "h/a:-x", "h/a@sha256:abc",
		"h/a@md5:" + hex64[:32], "h/_a", "h/a//b", "h/a:" + string(make([]byte, 129)),
	} {
		_, err := reference.Parse(in)
		assert.ErrorIs(t, err, reference.ErrInvalid, in)
	}
}
