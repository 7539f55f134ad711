package container_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase1-libcontainer/container"
)

// TestExecOnATerminal runs exec'd processes on a pseudo-terminal: they
// see a pts of the container's own devpts, its size, and the input
// given, whose end arrives as ^D.
func TestExecOnATerminal(t *testing.T) {
	l := newLab(t)
	id := l.detached(l.sh("sleep 60"))

	var out strings.Builder
	exit, err := l.m.Exec(l.ctx, id, container.ExecOptions{
		Args: []string{"sh", "-c", "tty; stty size; echo err >&2"},
		TTY:  true, Width: 100, Height: 30,
	}, container.Stdio{Stdout: &out})
	require.NoError(t, err)
	assert.Equal(t, 0, exit.Code)
	assert.Regexp(t, `^/dev/pts/\d+\r\n30 100\r\nerr\r\n$`, out.String())

	out.Reset()
	exit, err = l.m.Exec(l.ctx, id, container.ExecOptions{Args: []string{"cat"}, TTY: true},
		container.Stdio{Stdin: strings.NewReader("typed\n"), Stdout: &out})
	require.NoError(t, err)
	assert.Equal(t, 0, exit.Code, "cat ended at the ^D")
	assert.Contains(t, out.String(), "typed\r\n")
}
