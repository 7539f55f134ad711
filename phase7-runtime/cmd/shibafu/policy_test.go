package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
)

func TestRestartOnFailureGivesUpAfterN(t *testing.T) {
	l := newLab(t)

	id := l.run("--restart", "on-failure:3", "busybox", "sh", "-c", "echo run; exit 3")

	require.Eventually(t, func() bool {
		c := l.inspect(id)
		return c.RestartCount == 3 && c.State.Status == api.StatusExited
	}, 20*time.Second, 100*time.Millisecond, "three restarts, then it stays exited")
	time.Sleep(2 * time.Second) // longer than the next backoff would be
	c := l.inspect(id)
	assert.Equal(t, 3, c.RestartCount)
	assert.Equal(t, api.StatusExited, c.State.Status)
	assert.Equal(t, 3, c.State.ExitCode)
	assert.Equal(t, "run\nrun\nrun\nrun\n", l.ok("logs", id), "the output of every run")
	require.Eventually(t, func() bool {
		entries, _ := os.ReadDir(filepath.Join(l.root, "netns"))
		return len(entries) == 0
	}, 5*time.Second, 100*time.Millisecond, "given up: its network is given back")
}

func TestRestartAlwaysComesBackButNotAfterStop(t *testing.T) {
	l := newLab(t)

	id := l.run("--name", "phoenix", "--restart", "always", "busybox", "sh", "-c", "sleep 1")

	require.Eventually(t, func() bool {
		return l.inspect(id).RestartCount >= 2
	}, 20*time.Second, 100*time.Millisecond, "it comes back after each exit")
	l.waitStatus(id, api.StatusRunning)
	l.ok("stop", "-t", "1", "phoenix")
	c := l.inspect(id)
	assert.Equal(t, api.StatusExited, c.State.Status)
	time.Sleep(2 * time.Second)
	after := l.inspect(id)
	assert.Equal(t, api.StatusExited, after.State.Status, "stop outranks the policy")
	assert.Equal(t, c.RestartCount, after.RestartCount)
}
