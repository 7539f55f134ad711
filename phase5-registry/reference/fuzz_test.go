package reference_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/reference"
)

// FuzzReference feeds Parse arbitrary text: it must never panic, and
// what it accepts must hold only valid parts and print back to itself.
// Seeds live in testdata/fuzz/FuzzReference.
func FuzzReference(f *testing.F) {
	f.Add("127.0.0.1:5000/library/busybox:1.36")
	f.Add("localhost/a@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := reference.Parse(s)
		if err != nil {
			assert.ErrorIs(t, err, reference.ErrInvalid)
			return
		}
		require.NoError(t, reference.ValidateName(ref.Name))
		if ref.Tag != "" {
			require.NoError(t, reference.ValidateTag(ref.Tag))
		}
		again, err := reference.Parse(ref.String())
		require.NoError(t, err)
		assert.Equal(t, ref, again)
	})
}
