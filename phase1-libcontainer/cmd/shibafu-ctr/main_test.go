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

	"shibafu.dev/phase0-runc/testkit"
)

// The end-to-end tests drive the real binary, built once per test run,
// so that every command is a fresh process that finds its state on disk.
func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBinaries()
	os.Exit(code)
}

// session runs shibafu-ctr on one test's state root.
type session struct {
	t    *testing.T
	bin  string
	root string
}

func newSession(t *testing.T) *session {
	t.Helper()
	testkit.RequireRoot(t)
	c := &session{t: t, bin: testkit.Binary(t, "shibafu-ctr"), root: testkit.ShortTempDir(t)}
	t.Cleanup(func() {
		ids, _, _ := c.run("ps", "-q")
		if ids = strings.TrimSpace(ids); ids != "" {
			c.run(append([]string{"delete", "-f"}, strings.Fields(ids)...)...)
		}
	})
	return c
}

// run runs the binary and returns its stdout, stderr and exit code.
func (c *session) run(args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"--root", c.root}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out.String(), errOut.String(), exitErr.ExitCode()
	}
	require.NoError(c.t, err)
	return out.String(), errOut.String(), 0
}

// ok runs the binary, requires success and returns its trimmed stdout.
func (c *session) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run(args...)
	require.Equal(c.t, 0, code, "shibafu-ctr %s: %s", strings.Join(args, " "), errOut)
	return strings.TrimSpace(out)
}

func TestEndToEnd(t *testing.T) {
	c := newSession(t)

	assert.Equal(t, "hi", c.ok("run", "--rm", "echo", "hi"))
	_, _, code := c.run("run", "--rm", "sh", "-c", "exit 3")
	assert.Equal(t, 3, code, "run exits with the container's code")

	web := testkit.UniqueName("web")
	id := c.ok("run", "-d", "--name", web, "--hostname", "web", "--memory", "32m",
		"--pids-limit", "20", "--cpus", "0.5", "sh", "-c", "echo started; exec sleep 60")
	assert.Equal(t, web, id)
	// The command that started it has exited: every command below is a
	// new process that finds the container on disk.
	assert.Contains(t, c.ok("ps"), web)
	assert.Contains(t, c.ok("state", web), `"status": "running"`)
	assert.Equal(t, "web", c.ok("exec", web, "hostname"))
	_, _, code = c.run("exec", web, "sh", "-c", "exit 4")
	assert.Equal(t, 4, code, "exec exits with the command's code")
	assert.Contains(t, c.ok("stats", web), "/ 20")
	require.Eventually(t, func() bool { return c.ok("logs", web) == "started" },
		5*time.Second, 20*time.Millisecond)

	c.ok("pause", web)
	assert.Contains(t, c.ok("ps"), "paused")
	c.ok("resume", web)

	c.ok("kill", web)
	require.Eventually(t, func() bool {
		return strings.Contains(c.ok("ps"), "stopped (137)")
	}, 5*time.Second, 20*time.Millisecond, "the shim records the exit")
	c.ok("delete", web)
	assert.Empty(t, c.ok("ps", "-q"))
	assert.NoDirExists(t, "/sys/fs/cgroup/pids/shibafu/"+web)
}

func TestCreateStartAndForceDelete(t *testing.T) {
	c := newSession(t)
	id := c.ok("create", "sleep", "60")
	assert.Contains(t, c.ok("state", id), `"status": "created"`)
	c.ok("start", id)
	assert.Contains(t, c.ok("state", id), `"status": "running"`)

	_, stderr, code := c.run("delete", id)
	assert.Equal(t, 125, code)
	assert.Contains(t, stderr, "container is running")
	c.ok("delete", "-f", id)
	assert.Empty(t, c.ok("ps", "-q"))
}

func TestBadInput(t *testing.T) {
	c := newSession(t)
	taken := testkit.UniqueName("taken")
	c.ok("run", "-d", "--name", taken, "sleep", "60")

	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--memory", "12x", "true"}, "--memory"},
		{[]string{"run", "--memory", "1k", "true"}, "memory limit"},
		{[]string{"run", "--cpus", "-1", "true"}, "--cpus"},
		{[]string{"run", "--user", "root", "true"}, "--user"},
		{[]string{"run", "-e", "NOEQUALS", "true"}, "NOEQUALS"},
		{[]string{"run", "--name", "../x", "true"}, "invalid container ID"},
		{[]string{"run", "--rootfs", "/no/such/dir", "true"}, "/no/such/dir"},
		{[]string{"run", "--name", taken, "true"}, "already exists"},
		{[]string{"run"}, "requires at least 1 arg"},
		{[]string{"state", "nope"}, "no such container: nope"},
		{[]string{"kill", "nope"}, "no such container: nope"},
		{[]string{"kill", "-s", "NOPE", taken}, "unknown signal"},
		{[]string{"delete", "nope"}, "no such container: nope"},
		{[]string{"resume", taken}, "not paused"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, stderr, code := c.run(tc.args...)
			assert.Equal(t, 125, code)
			assert.Contains(t, stderr, tc.want)
		})
	}
	assert.Equal(t, taken, c.ok("ps", "-q"), "nothing else was created")
	assert.Contains(t, c.ok("state", taken), `"status": "running"`, "nothing was changed")
}

func TestHelp(t *testing.T) {
	bin := testkit.Binary(t, "shibafu-ctr")
	commands := []string{"", "run", "create", "start", "exec", "ps", "kill", "pause",
		"resume", "state", "stats", "logs", "delete"}
	for _, name := range commands {
		out, err := exec.Command(bin, strings.Fields(name+" --help")...).CombinedOutput()
		require.NoError(t, err, name)
		assert.Contains(t, string(out), "Usage:", name)
	}
}
