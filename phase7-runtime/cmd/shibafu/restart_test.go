package main

import (
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDaemonKilledAndRestartedFindsItsContainers(t *testing.T) {
	l := newLab(t)
	id := l.run("--name", "survivor", "busybox", "sh", "-c",
		"echo before; sleep 3; echo after; sleep 300")
	done := l.run("--name", "done", "busybox", "sh", "-c", "exit 5")
	l.waitStatus(done, "exited")
	waiting := strings.TrimSpace(l.ok("create", "--name", "waiting", "busybox",
		"sh", "-c", "echo started late; sleep 300"))
	l.ids = append(l.ids, waiting)
	assert.Contains(t, l.ok("ps", "-a"), "Created")
	subnet := netip.MustParsePrefix(l.inspect(id).Networks[0].IP + "/24").Masked()

	l.stopDaemon(syscall.SIGKILL)
	l.startDaemon(subnet)

	c := l.inspect("survivor")
	assert.Equal(t, "running", c.State.Status, "the container outlived the daemon")
	assert.Equal(t, 5, l.inspect("done").State.ExitCode)
	assert.Equal(t, "before\n", l.ok("logs", "survivor"))
	assert.Equal(t, "still here\n", l.ok("exec", "survivor", "echo", "still here"))
	require.Contains(t, l.ok("run", "--rm", "busybox", "nslookup", "survivor"), c.Networks[0].IP,
		"its name is still served")

	require.Eventually(t, func() bool { return l.ok("logs", "survivor") == "before\nafter\n" },
		5*time.Second, 100*time.Millisecond, "logs continue, without a line twice")
	l.ok("stop", "-t", "1", "survivor")
	assert.Equal(t, "exited", l.inspect("survivor").State.Status)

	assert.Equal(t, "created", l.inspect("waiting").State.Status, "create survives too")
	l.ok("start", "waiting")
	c = l.waitStatus(waiting, "running")
	l.leaks.Link(c.Networks[0].HostVeth)
	require.Eventually(t, func() bool { return l.ok("logs", "waiting") == "started late\n" },
		5*time.Second, 100*time.Millisecond)
}
