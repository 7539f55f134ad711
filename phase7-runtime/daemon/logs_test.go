package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
)

func TestLogFileRotatesAndReaderFollows(t *testing.T) {
	l := &logFile{path: filepath.Join(t.TempDir(), "container.log"), maxSize: 200, files: 3}
	r, err := openLogReader(l)
	require.NoError(t, err)
	defer r.close()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var read []string
	for i := range 12 {
		e := logEntry{Stream: api.Stdout, Time: at, Line: fmt.Sprintf("line %02d", i)}
		require.NoError(t, l.append([]logEntry{e}))
		got, err := r.next()
		require.NoError(t, err)
		for _, e := range got {
			read = append(read, e.Line)
		}
	}
	assert.Len(t, read, 12, "the reader followed every rotation")
	assert.Equal(t, "line 11", read[11])

	_, err = os.Stat(l.rotated(2))
	require.NoError(t, err, "two rotated files")
	_, err = os.Stat(l.rotated(3))
	assert.ErrorIs(t, err, os.ErrNotExist, "no more than files files")
	old, err := l.readOld()
	require.NoError(t, err)
	require.NotEmpty(t, old)
	assert.Less(t, len(old), 12, "the oldest lines were dropped")
	for _, name := range []string{l.rotated(0), l.rotated(1), l.rotated(2)} {
		fi, err := os.Stat(name)
		require.NoError(t, err)
		assert.LessOrEqual(t, fi.Size(), l.maxSize, name)
	}
}

func TestReadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stdout.log")
	require.NoError(t, os.WriteFile(path, []byte("a\nb\npart"), 0o644))

	lines, pos, err := readLines(path, rawPos{}, false)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, lines)
	assert.EqualValues(t, 4, pos.Offset, "the partial line waits for its newline")

	lines, pos, err = readLines(path, pos, true)
	require.NoError(t, err)
	assert.Equal(t, []string{"part"}, lines, "at the end of a run it counts")
	assert.EqualValues(t, 8, pos.Offset)

	require.NoError(t, os.Remove(path))
	require.NoError(t, os.WriteFile(path, []byte("new\n"), 0o644))
	lines, _, err = readLines(path, rawPos{Inode: pos.Inode + 1, Offset: pos.Offset}, false)
	require.NoError(t, err)
	assert.Equal(t, []string{"new"}, lines, "another file is read from its start")
}

func TestPickAndSend(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	entries := []logEntry{
		{api.Stdout, t0, "a"}, {api.Stderr, t0.Add(time.Second), "b"},
		{api.Stdout, t0.Add(2 * time.Second), "c"}, {api.Stdout, t0.Add(3 * time.Second), "d"},
	}
	tests := []struct {
		opts LogOptions
		want string
	}{
		{LogOptions{Tail: -1}, "stdout a|stderr b|stdout c\nd"},
		{LogOptions{Tail: 0}, ""},
		{LogOptions{Tail: 2}, "stdout c\nd"},
		{LogOptions{Tail: -1, Since: t0.Add(time.Second)}, "stderr b|stdout c\nd"},
		{LogOptions{Tail: 1, Timestamps: true}, "stdout 2026-01-02T03:04:08Z d"},
	}
	for _, tt := range tests {
		var frames []string
		require.NoError(t, sendEntries(pick(entries, tt.opts), tt.opts, func(f api.Frame) error {
			frames = append(frames, f.Stream+" "+strings.TrimSuffix(string(f.Data), "\n"))
			return nil
		}))
		assert.Equal(t, tt.want, strings.Join(frames, "|"), "%+v", tt.opts)
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
