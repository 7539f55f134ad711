package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogsFollowStreamsUntilExit(t *testing.T) {
	l := newLab(t)
	id := l.run("busybox", "sh", "-c",
		"echo first; sleep 1; echo second; sleep 1; echo third")

	cmd := exec.Command(l.cli, "logs", "-f", id)
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)

	require.True(t, lines.Scan())
	assert.Equal(t, "first", lines.Text())
	assert.Equal(t, "running", l.inspect(id).State.Status,
		"the first line came while the container still ran")
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	assert.Equal(t, []string{"second", "third"}, rest)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "logs -f ends when the container exits")
	case <-time.After(5 * time.Second):
		t.Fatal("logs -f did not end after the container exited")
	}
	assert.Equal(t, "second\nthird\n", l.ok("logs", "--tail", "2", id))
}

// counting is a container command that writes "line 1" to "line N" on
// stdout, waiting us microseconds after each, then "done" on stderr.
func counting(n, us int) []string {
	return []string{"busybox", "sh", "-c", fmt.Sprintf(
		`i=0; while [ $i -lt %d ]; do i=$((i+1)); echo "line $i"; usleep %d; done; echo done >&2`,
		n, us)}
}

func TestLogsRotateAsJSONLines(t *testing.T) {
	l := newLab(t, "--log-max-size", "4k", "--log-max-files", "2")
	id := l.run(counting(400, 0)...)
	l.waitStatus(id, "exited")

	dir := filepath.Join(l.root, "runtime", id)
	assert.FileExists(t, filepath.Join(dir, "container.log.1"))
	assert.NoFileExists(t, filepath.Join(dir, "container.log.2"), "at most two files")
	data, err := os.ReadFile(filepath.Join(dir, "container.log"))
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e struct {
			Stream, Line string
			Time         time.Time
		}
		require.NoError(t, json.Unmarshal([]byte(line), &e), line)
		assert.Contains(t, []string{"stdout", "stderr"}, e.Stream)
		assert.WithinDuration(t, time.Now(), e.Time, time.Minute)
	}

	lines := strings.Split(strings.TrimSpace(l.ok("logs", id)), "\n")
	assert.Equal(t, "line 400", lines[len(lines)-1])
	assert.NotEqual(t, "line 1", lines[0], "the oldest lines were dropped")
	stdout, stderr, err := l.sh("logs", "--timestamps", "--tail", "1", id)
	require.NoError(t, err)
	assert.Empty(t, stdout)
	stamp, line, _ := strings.Cut(strings.TrimSpace(stderr), " ")
	assert.Equal(t, "done", line)
	at, err := time.Parse(time.RFC3339Nano, stamp)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), at, time.Minute)

	assert.Contains(t, l.ok("logs", "--since", "10m", id), "line 400")
	future := time.Now().Add(time.Hour).Format(time.RFC3339)
	assert.Empty(t, l.ok("logs", "--since", future, id))
	assert.Contains(t, l.fail("logs", "--since", "yesterday", id), "want a time")
}

func TestLogsFollowAcrossRotation(t *testing.T) {
	l := newLab(t, "--log-max-size", "4k", "--log-max-files", "2")
	id := l.run(append([]string{"--entrypoint", "sh"}, "busybox", "-c",
		"sleep 1; "+counting(200, 5000)[3])...)
	out := l.ok("logs", "-f", id)
	var want []string
	for i := 1; i <= 200; i++ {
		want = append(want, fmt.Sprintf("line %d", i))
	}
	assert.Equal(t, want, strings.Split(strings.TrimSpace(out), "\n"),
		"logs -f read every line through the rotations")
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"10m":                  now.Add(-10 * time.Minute),
		"1h30m":                now.Add(-90 * time.Minute),
		"2026-01-01T00:00:00Z": time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		got, err := parseSince(in, now)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%s: %v", in, got)
	}
	for _, bad := range []string{"yesterday", "-5m", "2026-01-01"} {
		_, err := parseSince(bad, now)
		assert.Error(t, err, bad)
	}
}
