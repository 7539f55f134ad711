package daemon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
)

func TestLogStreamTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdout.log")
	require.NoError(t, os.WriteFile(path, []byte("a\nb\nc\n"), 0o644))
	tests := []struct {
		tail int
		want string
	}{
		{-1, "a\nb\nc\n"}, {0, ""}, {1, "c\n"}, {2, "b\nc\n"}, {3, "a\nb\nc\n"}, {9, "a\nb\nc\n"},
	}
	for _, tt := range tests {
		s := &logStream{name: api.Stdout, path: path}
		require.NoError(t, s.seekTail(tt.tail))
		var got []byte
		require.NoError(t, s.copy(func(f api.Frame) error {
			got = append(got, f.Data...)
			return nil
		}))
		assert.Equal(t, tt.want, string(got), "tail %d", tt.tail)
	}
}

func TestParseSignal(t *testing.T) {
	for in, want := range map[string]int{"": 9, "KILL": 9, "sigterm": 15, "TERM": 15, "2": 2} {
		sig, err := parseSignal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, int(sig), in)
	}
	_, err := parseSignal("NOPE")
	assert.ErrorIs(t, err, api.ErrInvalid)
}
