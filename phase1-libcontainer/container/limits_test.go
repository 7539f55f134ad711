package container_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
)

// TestMemoryLimitOOMKillsOnlyTheContainer runs a shell that tries to hold
// 100 MB in a variable under a 32 MiB limit. The kernel's OOM killer
// must kill it inside its memory cgroup, record it, and leave host
// processes alone.
func TestMemoryLimitOOMKillsOnlyTheContainer(t *testing.T) {
	l := newLab(t)
	bystander := testkit.RequireTool(t, "sleep")
	host := startHostProcess(t, bystander, "60")
	hog := `x=$(head -c 100000000 /dev/zero | tr '\0' a); echo survived`
	cfg := l.config(bundle.Options{
		Args:        []string{"sh", "-c", hog},
		MemoryLimit: 32 << 20,
	})

	exit, out := l.run(cfg)
	assert.Equal(t, 137, exit.Code)
	assert.Equal(t, "SIGKILL", exit.Signal)
	assert.True(t, exit.OOMKilled, "exit records the OOM kill")
	assert.NotContains(t, out, "survived")

	st, err := l.m.State(cfg.ID)
	require.NoError(t, err)
	require.NotNil(t, st.Exit)
	assert.True(t, st.Exit.OOMKilled, "the saved exit records the OOM kill")
	assert.NoError(t, host.Signal(syscall.Signal(0)), "a host process outside the cgroup lives on")
}

// TestMemoryLimitIsInTheCgroup checks the limit lands in the container's
// memory cgroup file.
func TestMemoryLimitIsInTheCgroup(t *testing.T) {
	l := newLab(t)
	id := l.detached(l.config(bundle.Options{Args: []string{"sleep", "60"}, MemoryLimit: 32 << 20}))

	st, err := l.m.State(id)
	require.NoError(t, err)
	limit := testkit.ReadFile(t, testkit.CgroupFile(t, st.Pid, "memory", "memory.limit_in_bytes"))
	assert.Equal(t, strconv.Itoa(32<<20), limit)
}

// TestPidsLimitStopsForkBomb starts a real fork bomb under a limit of 20
// processes: forks beyond it fail with EAGAIN, and the container stays
// at the limit until it is killed.
func TestPidsLimitStopsForkBomb(t *testing.T) {
	l := newLab(t)
	cfg := l.config(bundle.Options{
		Args:      []string{"sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 60"},
		PidsLimit: 20,
	})
	id := l.detached(cfg)
	st, err := l.m.State(id)
	require.NoError(t, err)
	current := testkit.CgroupFile(t, st.Pid, "pids", "pids.current")
	assert.Equal(t, "20", testkit.ReadFile(t, testkit.CgroupFile(t, st.Pid, "pids", "pids.max")))

	logs, err := l.m.Logs(id)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		data, _ := os.ReadFile(logs.Stderr)
		return strings.Contains(string(data), "can't fork")
	}, 10*time.Second, 50*time.Millisecond, "forks fail at the limit")
	for range 5 {
		n, err := strconv.Atoi(testkit.ReadFile(t, current))
		require.NoError(t, err)
		assert.LessOrEqual(t, n, 20, "pids.current")
		time.Sleep(50 * time.Millisecond)
	}
	stats, err := l.m.Stats(id)
	require.NoError(t, err)
	assert.EqualValues(t, 20, stats.PidsLimit)

	require.NoError(t, l.m.Signal(id, syscall.SIGKILL))
	assert.Equal(t, 137, l.waitExit(id).Code, "SIGKILL to init ends the whole bomb")
}

// startHostProcess starts a process outside any container and kills it
// when the test ends.
func startHostProcess(t *testing.T, name string, args ...string) *os.Process {
	t.Helper()
	p, err := os.StartProcess(name, append([]string{name}, args...), &os.ProcAttr{})
	require.NoError(t, err)
	t.Cleanup(func() {
		p.Kill()
		p.Wait()
	})
	return p
}
