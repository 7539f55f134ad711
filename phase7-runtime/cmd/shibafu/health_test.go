package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

func TestHealthCheckFlipsStatus(t *testing.T) {
	l := newLab(t)

	id := l.run("--name", "checked", "--health-cmd", "test -f /tmp/ok",
		"--health-interval", "200ms", "--health-timeout", "2s", "--health-retries", "2",
		"busybox", "sh", "-c", "sleep 1; touch /tmp/ok; sleep 300")

	assert.Equal(t, api.HealthStarting, l.inspect(id).State.Health.Status,
		"no check has passed yet")
	l.waitHealth(id, api.HealthHealthy)
	assert.Contains(t, l.ok("ps"), "(healthy)")
	metrics, err := (&client.Client{Socket: l.socket}).Metrics(context.Background())
	require.NoError(t, err)
	assert.Contains(t, metrics, `shibafu_container_healthy{id="`+id+`",name="checked"} 1`)

	l.ok("exec", "checked", "rm", "/tmp/ok")
	c := l.waitHealth(id, api.HealthUnhealthy)
	assert.GreaterOrEqual(t, c.State.Health.FailingStreak, 2)
	require.NotEmpty(t, c.State.Health.Log)
	assert.Equal(t, 1, c.State.Health.Log[len(c.State.Health.Log)-1].ExitCode)
	assert.Contains(t, l.ok("ps"), "(unhealthy)")
	assert.Equal(t, api.StatusRunning, c.State.Status, "an unhealthy container keeps running")
}

// waitHealth waits until the container's health check reports status.
func (l *lab) waitHealth(id, status string) api.Container {
	l.t.Helper()
	var c api.Container
	require.Eventually(l.t, func() bool {
		c = l.inspect(id)
		return c.State.Health != nil && c.State.Health.Status == status
	}, 15*time.Second, 100*time.Millisecond, "container %s never became %s", id, status)
	return c
}
