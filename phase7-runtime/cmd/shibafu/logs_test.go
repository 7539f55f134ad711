package main

import (
	"bufio"
	"os"
	"os/exec"
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
