package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMemoryLimitKillsHog(t *testing.T) {
	l := newLab(t)

	id := l.run("--memory", "16m", "--pids-limit", "20", "busybox", "sh", "-c",
		"x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done")

	c := l.waitStatus(id, "exited")
	assert.True(t, c.State.OOMKilled, "inspect shows OOMKilled")
	assert.Equal(t, 137, c.State.ExitCode, "SIGKILL: 128+9")
	assert.Contains(t, l.ok("ps", "-a"), "OOM killed")
}
