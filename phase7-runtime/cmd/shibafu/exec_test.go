package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExecWithStdinAndTTY(t *testing.T) {
	l := newLab(t)
	l.run("--name", "box", "busybox", "sleep", "300")

	stdout, _, err := l.shIn("hi\n", "exec", "-i", "box", "cat")
	require.NoError(t, err)
	assert.Equal(t, "hi\n", stdout, "stdin reaches the command, and its end ends cat")

	big := strings.Repeat("0123456789", 100_000)
	stdout, _, err = l.shIn(big, "exec", "-i", "box", "wc", "-c")
	require.NoError(t, err)
	assert.Equal(t, "1000000", strings.TrimSpace(stdout), "a megabyte, whole")

	_, _, err = l.shIn("3\n", "exec", "-i", "box", "sh", "-c", "read x; exit $x")
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit))
	assert.Equal(t, 3, exit.ExitCode())

	assert.Regexp(t, `^/dev/pts/\d+\r\n$`, l.ok("exec", "-t", "box", "tty"))
	assert.Equal(t, "not a tty\n", l.okIgnoringExit("exec", "box", "tty"),
		"without -t, no terminal")
	assert.Equal(t, "out\r\nerr\r\n", l.ok("exec", "-t", "box", "sh", "-c",
		"echo out; sleep 0.1; echo err >&2"), "a terminal has one output stream")
	assert.Equal(t, "xterm\r\n", l.ok("exec", "-t", "box", "sh", "-c", "echo $TERM"))

	stdout, _, err = l.shIn("typed\n", "exec", "-i", "-t", "box", "cat")
	require.NoError(t, err)
	assert.Contains(t, stdout, "typed\r\n", "the terminal passes input on; its end is ^D")

	stderr := l.fail("exec", "-i", "nobody", "cat")
	assert.Contains(t, stderr, "no such container: nobody")
}

func TestExecHangUpKillsTheCommand(t *testing.T) {
	l := newLab(t)
	l.run("--name", "box", "busybox", "sleep", "300")
	// sleep ignores its input: only a kill ends it. (A child the
	// command left behind would become a zombie of the container's
	// init, sleep 300, which reaps no one.)
	cmd := exec.Command(l.cli, "exec", "-i", "box", "sleep", "1234")
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer stdin.Close()
	require.Eventually(t, func() bool {
		return strings.Contains(l.ok("top", "box"), "sleep 1234")
	}, 10*time.Second, 100*time.Millisecond)

	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()

	var top string
	if !assert.Eventually(t, func() bool {
		top = l.ok("top", "box")
		return !strings.Contains(top, "sleep 1234")
	}, 10*time.Second, 100*time.Millisecond, "the command died with its client") {
		t.Logf("top:\n%s", top)
	}
}

// shIn runs the CLI with input as its standard input.
func (l *lab) shIn(input string, args ...string) (string, string, error) {
	cmd := exec.Command(l.cli, args...)
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	cmd.Stdin = strings.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// okIgnoringExit runs the CLI and returns its stdout, whatever its exit
// code.
func (l *lab) okIgnoringExit(args ...string) string {
	stdout, _, _ := l.sh(args...)
	return stdout
}
