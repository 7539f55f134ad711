package container_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
)

// TestCreateThenStart checks the two steps of the OCI lifecycle: after
// Create the init waits in its namespaces; Start lets the command run.
func TestCreateThenStart(t *testing.T) {
	l := newLab(t)
	cfg := l.sh("echo started; sleep 60")
	require.NoError(t, l.m.Create(l.ctx, cfg))

	st, err := l.m.State(cfg.ID)
	require.NoError(t, err)
	assert.Equal(t, container.Created, st.Status)
	assert.Positive(t, st.Pid)
	logs, err := l.m.Logs(cfg.ID)
	require.NoError(t, err)
	assert.Empty(t, testkit.ReadFile(t, logs.Stdout), "nothing runs before Start")

	require.NoError(t, l.m.Start(cfg.ID))
	st, err = l.m.State(cfg.ID)
	require.NoError(t, err)
	assert.Equal(t, container.Running, st.Status)
	l.waitOutput(cfg.ID, "started\n")
	assert.ErrorIs(t, l.m.Start(cfg.ID), container.ErrNotCreated)
}

// TestDetachedExitCodesAreRecorded checks that the shim records how a
// detached container ended, for Wait and State, from exit.json.
func TestDetachedExitCodesAreRecorded(t *testing.T) {
	l := newLab(t)

	exited := l.detached(l.sh("exit 42"))
	assert.Equal(t, 42, l.waitExit(exited).Code)
	st, err := l.m.State(exited)
	require.NoError(t, err)
	assert.Equal(t, container.Stopped, st.Status)
	require.NotNil(t, st.Exit)
	assert.Equal(t, 42, st.Exit.Code)

	// The shell must have set its trap before the signal comes: PID 1 of
	// a namespace ignores signals it has no handler for.
	trapped := l.detached(l.sh("trap 'exit 3' TERM; echo ready; sleep 60 & wait"))
	l.waitOutput(trapped, "ready\n")
	require.NoError(t, l.m.Signal(trapped, syscall.SIGTERM))
	assert.Equal(t, 3, l.waitExit(trapped).Code)

	killed := l.detached(l.sh("sleep 60"))
	require.NoError(t, l.m.Signal(killed, syscall.SIGKILL))
	exit := l.waitExit(killed)
	assert.Equal(t, 137, exit.Code)
	assert.Equal(t, "SIGKILL", exit.Signal)
	assert.ErrorIs(t, l.m.Signal(killed, syscall.SIGKILL), container.ErrNotRunning)
}

// TestDetachedOutputGoesToLogs checks the shim's log files.
func TestDetachedOutputGoesToLogs(t *testing.T) {
	l := newLab(t)
	id := l.detached(l.sh("echo out; echo err >&2"))
	l.waitExit(id)

	logs, err := l.m.Logs(id)
	require.NoError(t, err)
	assert.Equal(t, "out", testkit.ReadFile(t, logs.Stdout))
	assert.Equal(t, "err", testkit.ReadFile(t, logs.Stderr))
}

// TestExecRunsInsideTheContainer checks that a second process joins the
// running container: same host name, same files, same PID namespace.
func TestExecRunsInsideTheContainer(t *testing.T) {
	l := newLab(t)
	cfg := l.writable(bundle.Options{
		Args:     []string{"sh", "-c", "echo hello > /tmp/marker; exec sleep 60"},
		Hostname: "exec-box",
	})
	id := l.detached(cfg)

	require.Eventually(t, func() bool {
		_, out := l.exec(id, "cat", "/tmp/marker")
		return out == "hello"
	}, 5*time.Second, 20*time.Millisecond, "exec sees the container's files")
	_, out := l.exec(id, "hostname")
	assert.Equal(t, "exec-box", out)
	_, out = l.exec(id, "cat", "/proc/1/cmdline")
	assert.Equal(t, "sleep\x0060\x00", out, "PID 1 is the container's init")
	exit, _ := l.exec(id, "sh", "-c", "exit 5")
	assert.Equal(t, 5, exit.Code)

	var got strings.Builder
	exit, err := l.m.Exec(l.ctx, id, container.ExecOptions{
		Args: []string{"sh", "-c", "echo $GREETING; pwd; id -u"},
		Env:  []string{"GREETING=hi"}, Cwd: "/tmp", User: &specs.User{UID: 65534, GID: 65534},
	}, container.Stdio{Stdout: &got})
	require.NoError(t, err)
	assert.Equal(t, 0, exit.Code)
	assert.Equal(t, "hi\n/tmp\n65534\n", got.String())

	st, err := l.m.State(id)
	require.NoError(t, err)
	assert.Equal(t, container.Running, st.Status, "exec leaves the container running")
}

// TestPauseAndResume checks the freezer cgroup through the container's
// status and the kernel's own file.
func TestPauseAndResume(t *testing.T) {
	l := newLab(t)
	id := l.detached(l.sh("sleep 60"))
	st, err := l.m.State(id)
	require.NoError(t, err)

	require.NoError(t, l.m.Pause(id))
	st, err = l.m.State(id)
	require.NoError(t, err)
	assert.Equal(t, container.Paused, st.Status)
	assert.Equal(t, "frozen", freezerState(t, st.Pid))
	_, err = l.m.Exec(l.ctx, id, container.ExecOptions{Args: []string{"true"}}, container.Stdio{})
	assert.ErrorIs(t, err, container.ErrNotRunning)

	require.NoError(t, l.m.Resume(id))
	st, err = l.m.State(id)
	require.NoError(t, err)
	assert.Equal(t, container.Running, st.Status)
	assert.Equal(t, "thawed", freezerState(t, st.Pid))
	assert.ErrorIs(t, l.m.Resume(id), container.ErrNotPaused)
}

// TestStatsOfBusyContainer checks CPU, memory and pids usage.
func TestStatsOfBusyContainer(t *testing.T) {
	l := newLab(t)
	id := l.detached(l.config(bundle.Options{
		Args:        []string{"sh", "-c", "while :; do :; done"},
		MemoryLimit: 64 << 20, PidsLimit: 50,
	}))

	require.Eventually(t, func() bool {
		s, err := l.m.Stats(id)
		return err == nil && s.CPUNanos > 50_000_000
	}, 10*time.Second, 20*time.Millisecond, "a busy loop uses CPU time")
	s, err := l.m.Stats(id)
	require.NoError(t, err)
	assert.Positive(t, s.MemoryBytes)
	assert.EqualValues(t, 64<<20, s.MemoryLimit)
	assert.EqualValues(t, 1, s.Pids)
	assert.EqualValues(t, 50, s.PidsLimit)
}

// freezerState reads the freezer of the cgroup pid is in: "frozen" or
// "thawed".
func freezerState(t *testing.T, pid int) string {
	t.Helper()
	if testkit.IsCgroup2() {
		file := testkit.CgroupFile(t, pid, "freezer", "cgroup.freeze")
		if testkit.ReadFile(t, file) == "1" {
			return "frozen"
		}
		return "thawed"
	}
	file := testkit.CgroupFile(t, pid, "freezer", "freezer.state")
	return strings.ToLower(testkit.ReadFile(t, file))
}
