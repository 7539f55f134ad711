package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
)

func TestLifecycleCommandsAndEvents(t *testing.T) {
	l := newLab(t)
	events := l.followEvents(t)
	port := freePort(t)

	id := l.run("--name", "first", "--label", "team=blue", "-p",
		fmt.Sprintf("127.0.0.1:%d:80", port), "busybox", "sleep", "300")

	assert.Equal(t, fmt.Sprintf("80/tcp -> 127.0.0.1:%d\n", port), l.ok("port", "first"))
	assert.Equal(t, fmt.Sprintf("80/tcp -> 127.0.0.1:%d\n", port), l.ok("port", "first", "80"))
	assert.Contains(t, l.ok("top", "first"), "sleep 300")

	l.ok("rename", "first", "second")
	assert.Equal(t, id, l.inspect("second").ID)
	assert.Equal(t, id, l.inspect(id[:6]).ID, "a prefix of the ID names it too")
	assert.Contains(t, l.fail("inspect", "first"), "no such container: first")
	assert.Contains(t, l.ok("run", "--rm", "busybox", "nslookup", "second"),
		l.inspect(id).Networks[0].IP, "DNS follows the new name")

	pid := l.inspect(id).State.Pid
	l.ok("restart", "-t", "1", "second")
	c := l.inspect(id)
	assert.Equal(t, api.StatusRunning, c.State.Status)
	assert.NotEqual(t, pid, c.State.Pid, "a new init")
	require.Len(t, c.Ports, 1, "its port is published again")
	l.leaks.Link(c.Networks[0].HostVeth)

	assert.Equal(t, "second blue\n",
		l.ok("ps", "--format", `{{.Name}} {{index .Config.Labels "team"}}`))
	var listed api.Container
	require.NoError(t, json.Unmarshal([]byte(l.ok("ps", "--format", "json")), &listed))
	assert.Equal(t, id, listed.ID)

	l.run("--name", "short", "busybox", "sh", "-c", "sleep 0.5; exit 4")
	assert.Equal(t, "4\n", l.ok("wait", "short"))

	l.ok("rm", "-f", "second")
	assert.Subset(t, events.actions(t, id, 8), []string{"create", "start", "rename", "stop",
		"die", "start", "destroy"})
}

func TestRunOptions(t *testing.T) {
	l := newLab(t)
	envFile := l.dir + "/env"
	require.NoError(t, os.WriteFile(envFile,
		[]byte("# settings\nA=from-file\n\nB=from-file\nSHIBAFU_TEST_C\n"), 0o644))
	t.Setenv("SHIBAFU_TEST_C", "from-cli-env")

	out := l.ok("run", "--rm", "--env-file", envFile, "-e", "B=from-flag", "busybox",
		"sh", "-c", `echo $A $B $SHIBAFU_TEST_C`)
	assert.Equal(t, "from-file from-flag from-cli-env\n", out)

	assert.Equal(t, "hi there\n", l.ok("run", "--rm", "--entrypoint", "echo", "busybox",
		"hi", "there"))

	_, stderr, err := l.sh("run", "--rm", "--read-only", "busybox", "touch", "/x")
	require.Error(t, err)
	assert.Contains(t, stderr, "Read-only file system")

	id := l.run("--cpus", "0.5", "busybox", "sleep", "300")
	assert.Equal(t, "50000 100000", cpuLimit(t, id), "quota per period, in µs")
}

// cpuLimit reads a container's CFS quota and period from its cgroup,
// on cgroup v1 or v2.
func cpuLimit(t *testing.T, id string) string {
	t.Helper()
	if data, err := os.ReadFile("/sys/fs/cgroup/shibafu/" + id + "/cpu.max"); err == nil {
		return strings.TrimSpace(string(data))
	}
	for _, dir := range []string{"cpu,cpuacct", "cpu"} {
		base := "/sys/fs/cgroup/" + dir + "/shibafu/" + id + "/"
		quota, err := os.ReadFile(base + "cpu.cfs_quota_us")
		if err != nil {
			continue
		}
		period, err := os.ReadFile(base + "cpu.cfs_period_us")
		require.NoError(t, err)
		return strings.TrimSpace(string(quota)) + " " + strings.TrimSpace(string(period))
	}
	t.Fatalf("no cpu cgroup for %s", id)
	return ""
}

// eventLog collects what `shibafu events --format json` prints.
type eventLog struct {
	lines chan api.Event
}

// followEvents starts `shibafu events` for the rest of the test.
func (l *lab) followEvents(t *testing.T) *eventLog {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, l.cli, "events", "--format", "json")
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST="+l.socket)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); cmd.Wait() })

	log := &eventLog{lines: make(chan api.Event, 100)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var ev api.Event
			if json.Unmarshal(sc.Bytes(), &ev) == nil {
				log.lines <- ev
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // let it subscribe before anything happens
	return log
}

// actions returns the actions of the events about container id, waiting
// until there are at least n or 10 seconds have passed.
func (e *eventLog) actions(t *testing.T, id string, n int) []string {
	t.Helper()
	var got []string
	deadline := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case ev := <-e.lines:
			if ev.ID == id {
				got = append(got, ev.Action)
			}
		case <-deadline:
			return got
		}
	}
	return got
}
