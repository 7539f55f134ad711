package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/client"
)

func TestStatsShowsCPUOfABusyContainer(t *testing.T) {
	l := newLab(t)
	busy := l.run("--name", "busy", "busybox", "sh", "-c", "while :; do :; done")
	l.run("--name", "idle", "busybox", "sleep", "300")

	require.Eventually(t, func() bool {
		return cpuPercent(t, l.ok("stats", "--no-stream", "busy"), "busy") > 10
	}, 10*time.Second, 200*time.Millisecond, "a busy loop shows CPU use")
	table := l.ok("stats", "--no-stream")
	assert.Contains(t, table, "idle", "no names: every running container")
	assert.Less(t, cpuPercent(t, table, "idle"), 5.0)

	metrics, err := (&client.Client{Socket: l.socket}).Metrics(context.Background())
	require.NoError(t, err)
	cpu := regexp.MustCompile(`shibafu_container_cpu_seconds_total\{id="` + busy +
		`",name="busy"\} (\S+)`).FindStringSubmatch(metrics)
	require.NotNil(t, cpu, "metrics:\n%s", metrics)
	seconds, err := strconv.ParseFloat(cpu[1], 64)
	require.NoError(t, err)
	assert.Greater(t, seconds, 0.0)
	assert.Contains(t, metrics, fmt.Sprintf(
		`shibafu_container_network_transmit_bytes_total{id="%s",interface="eth0"`, busy))
	assert.Contains(t, metrics, fmt.Sprintf(`shibafu_container_running{id="%s",name="busy"} 1`,
		busy))
	assert.Contains(t, metrics, fmt.Sprintf(
		`shibafu_container_restarts_total{id="%s",name="busy"} 0`, busy))

	// Without --no-stream the table is redrawn until interrupted.
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	cmd := exec.CommandContext(ctx, l.cli, "stats", "busy")
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	live, _ := cmd.Output()
	assert.GreaterOrEqual(t, strings.Count(string(live), clearScreen), 2, "redrawn:\n%s", live)

	l.ok("rm", "-f", "busy")
	assert.Contains(t, l.fail("stats", "--no-stream", "idle", "busy"), "no such container: busy")
}

// cpuPercent reads the CPU % column of a container's row of a stats
// table, -1 if the row is missing.
func cpuPercent(t *testing.T, table, name string) float64 {
	t.Helper()
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && f[1] == name {
			v, err := strconv.ParseFloat(strings.TrimSuffix(f[2], "%"), 64)
			require.NoError(t, err, "row %q", line)
			return v
		}
	}
	return -1
}
