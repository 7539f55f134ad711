package logs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/api"
)

func line(i int) api.LogLine {
	return api.LogLine{Time: time.Unix(int64(i), 0), App: "shop", Source: api.SourceApp,
		Process: "web", Replica: "shop-web-v1-1", Stream: "stdout",
		Line: fmt.Sprintf("line %04d", i)}
}

// TestRotationBoundsTheLog writes far more than the retention: the
// files stay within it, and what is kept is the newest lines, in order.
func TestRotationBoundsTheLog(t *testing.T) {
	s := &Store{Dir: t.TempDir(), Retention: 8 << 10, Files: 4}
	defer s.Close()
	for i := range 1000 {
		require.NoError(t, s.Append(line(i)))
	}
	var total int64
	entries, err := os.ReadDir(filepath.Join(s.Dir, "shop"))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		total += info.Size()
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"1.jsonl", "2.jsonl", "3.jsonl", "current.jsonl"}, names)
	assert.LessOrEqual(t, total, int64(8<<10))

	lines, err := s.Read("shop", Query{Tail: -1})
	require.NoError(t, err)
	require.NotEmpty(t, lines)
	assert.Equal(t, "line 0999", lines[len(lines)-1].Line)
	for i := 1; i < len(lines); i++ {
		assert.True(t, lines[i-1].Time.Before(lines[i].Time), "in order")
	}
	assert.Less(t, len(lines), 1000, "the oldest lines are gone")
}

func TestReadSelects(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	defer s.Close()
	for i := range 10 {
		l := line(i)
		if i%2 == 1 {
			l.Process, l.Replica = "worker", "shop-worker-v1-1"
		}
		s.Append(l)
	}
	lines, err := s.Read("shop", Query{Tail: 3})
	require.NoError(t, err)
	assert.Equal(t, []string{"line 0007", "line 0008", "line 0009"}, texts(lines))
	lines, _ = s.Read("shop", Query{Tail: -1, Process: "worker", Since: time.Unix(5, 0)})
	assert.Equal(t, []string{"line 0005", "line 0007", "line 0009"}, texts(lines))
	lines, _ = s.Read("other", Query{Tail: -1})
	assert.Empty(t, lines)
	_, err = s.Read("../etc", Query{Tail: -1})
	assert.ErrorIs(t, err, api.ErrInvalid)
}

func texts(lines []api.LogLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Line)
	}
	return out
}

// TestFollowLosesNothing follows while lines are appended: it sees the
// kept ones, then every new one, each once.
func TestFollowLosesNothing(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	defer s.Close()
	for i := range 5 {
		s.Append(line(i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Follow(ctx, "shop", Query{Tail: -1}, func(l api.LogLine) {
			mu.Lock()
			got = append(got, l.Line)
			mu.Unlock()
		})
	}()
	for i := 5; i < 200; i++ {
		s.Append(line(i))
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) >= 200
	}, 5*time.Second, 10*time.Millisecond)
	cancel()
	<-done
	var want []string
	for i := range 200 {
		want = append(want, line(i).Line)
	}
	assert.Equal(t, want, got)
}

func TestWriterSplitsLines(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	defer s.Close()
	w := s.Writer("shop", api.SourceBuild)
	fmt.Fprint(w, "Step 1/2\nStep ")
	fmt.Fprint(w, "2/2\r\nnot yet")
	fmt.Fprint(w, strings.Repeat("x", maxLine+10))
	lines, err := s.Read("shop", Query{Tail: -1})
	require.NoError(t, err)
	require.Len(t, lines, 3)
	assert.Equal(t, "Step 1/2", lines[0].Line)
	assert.Equal(t, "Step 2/2", lines[1].Line)
	assert.Equal(t, "not yet"+strings.Repeat("x", maxLine-7), lines[2].Line)
	assert.Equal(t, api.SourceBuild, lines[0].Source)
}

func TestSplitStamp(t *testing.T) {
	at, text := splitStamp("2026-01-02T03:04:05.123456789Z GET / 200")
	assert.Equal(t, "GET / 200", text)
	assert.Equal(t, 123456789, at.Nanosecond())
	_, text = splitStamp("no stamp here")
	assert.Equal(t, "no stamp here", text)
}
