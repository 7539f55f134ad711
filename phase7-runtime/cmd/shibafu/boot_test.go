package main

import (
	"net/netip"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
)

// TestDaemonStartAppliesRestartPolicies stops containers of each policy
// by hand, restarts the daemon, and checks docker's rules: always comes
// back, unless-stopped and no stay stopped.
func TestDaemonStartAppliesRestartPolicies(t *testing.T) {
	l := newLab(t)
	always := l.run("--name", "always", "--restart", "always", "busybox", "sleep", "300")
	unless := l.run("--name", "unless", "--restart", "unless-stopped", "busybox",
		"sleep", "300")
	never := l.run("--name", "never", "busybox", "sleep", "300")
	subnet := netip.MustParsePrefix(l.inspect(always).Networks[0].IP + "/24").Masked()
	l.ok("stop", "-t", "1", "always", "unless", "never")

	l.stopDaemon(syscall.SIGTERM)
	l.startDaemon(subnet)

	c := l.waitStatus(always, api.StatusRunning)
	require.NotEmpty(t, c.Networks, "it is back on its network")
	l.leaks.Link(c.Networks[0].HostVeth)
	assert.Contains(t, l.ok("exec", "always", "hostname"), "always")
	assert.Equal(t, api.StatusExited, l.inspect(unless).State.Status,
		"unless-stopped keeps a user's stop")
	assert.Equal(t, api.StatusExited, l.inspect(never).State.Status)

	l.ok("stop", "-t", "1", "always")
	assert.Equal(t, api.StatusExited, l.inspect(always).State.Status,
		"a stop after the daemon's start holds again")
}

// TestHealthSurvivesDaemonRestart checks that a daemon taking back a
// running container shows the health the last daemon found, and that a
// new run of the container starts its health from starting.
func TestHealthSurvivesDaemonRestart(t *testing.T) {
	l := newLab(t)
	id := l.run("--name", "steady", "--health-cmd", "true", "--health-interval", "2s",
		"busybox", "sleep", "300")
	before := l.waitHealth(id, api.HealthHealthy)
	require.NotEmpty(t, before.State.Health.Log)
	subnet := netip.MustParsePrefix(before.Networks[0].IP + "/24").Masked()

	l.stopDaemon(syscall.SIGKILL)
	l.startDaemon(subnet)

	// The new daemon's first check is two seconds away: what shows now
	// was saved by the last one.
	after := l.inspect(id).State.Health
	require.NotNil(t, after)
	assert.Equal(t, api.HealthHealthy, after.Status)
	require.NotEmpty(t, after.Log)
	assert.True(t, before.State.Health.Log[0].Start.Equal(after.Log[0].Start),
		"the same checks as before the restart")

	l.ok("restart", "-t", "1", "steady")
	c := l.waitStatus(id, api.StatusRunning)
	l.leaks.Link(c.Networks[0].HostVeth)
	assert.Equal(t, api.HealthStarting, c.State.Health.Status, "a new run starts over")
}
