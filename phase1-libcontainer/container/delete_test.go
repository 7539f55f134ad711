package container_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
)

// TestDeleteLeavesNothing deletes a running container with its own root
// filesystem and checks that no cgroup, mount or state is left.
func TestDeleteLeavesNothing(t *testing.T) {
	l := newLab(t)
	id, st, cgroups := l.sleeper()
	for _, dir := range cgroups {
		require.DirExists(t, dir)
	}

	err := l.m.Delete(l.ctx, id, false)
	assert.ErrorIs(t, err, container.ErrRunning, "a running container needs force")
	assert.DirExists(t, st.Bundle, "a refused delete changes nothing")

	require.NoError(t, l.m.Delete(l.ctx, id, true))
	for _, dir := range cgroups {
		assert.NoDirExists(t, dir)
	}
	assert.NotContains(t, hostMountinfo(t), st.Rootfs)
	assert.NoDirExists(t, st.Bundle)
	assert.NoDirExists(t, filepath.Join(l.m.Root, "lc", id))
	_, err = l.m.State(id)
	assert.ErrorIs(t, err, container.ErrNotFound)
}

// TestDeleteKillsStragglers deletes a running container whose cgroups
// also hold a process outside its PID namespace, as an exec (a health
// check, say) holds them for a moment on its way in. The process does
// not die with the container's init; Delete kills it, and removes the
// cgroups, rather than wait on them until it gives up.
func TestDeleteKillsStragglers(t *testing.T) {
	l := newLab(t)
	id, _, cgroups := l.sleeper()

	straggler := exec.Command("sleep", "300")
	require.NoError(t, straggler.Start())
	exited := make(chan error, 1)
	go func() { exited <- straggler.Wait() }()
	t.Cleanup(func() { straggler.Process.Kill() })
	for _, dir := range cgroups {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "cgroup.procs"),
			[]byte(strconv.Itoa(straggler.Process.Pid)), 0o644))
	}

	require.NoError(t, l.m.Delete(l.ctx, id, true))
	select {
	case err := <-exited:
		assert.ErrorContains(t, err, "killed")
	case <-time.After(5 * time.Second):
		t.Fatal("the process in the container's cgroup still runs")
	}
	for _, dir := range cgroups {
		assert.NoDirExists(t, dir)
	}
}

// TestDeleteStoppedAndCreated checks that containers that run nothing are
// deleted without force.
func TestDeleteStoppedAndCreated(t *testing.T) {
	l := newLab(t)
	stopped := l.detached(l.sh("true"))
	l.waitExit(stopped)
	require.NoError(t, l.m.Delete(l.ctx, stopped, false))

	created := l.sh("true")
	require.NoError(t, l.m.Create(l.ctx, created))
	st, err := l.m.State(created.ID)
	require.NoError(t, err)
	require.NoError(t, l.m.Delete(l.ctx, created.ID, false))
	assert.NoDirExists(t, cgroupDir("pids", created.ID))
	assert.NoDirExists(t, st.Bundle)

	states, err := l.m.List()
	require.NoError(t, err)
	assert.Empty(t, states)
}

// TestDeleteAfterShimDied kills a detached container's shim: the
// container runs on, its exit can no longer be recorded, and Delete
// still removes everything.
func TestDeleteAfterShimDied(t *testing.T) {
	l := newLab(t)
	id := l.detached(l.sh("sleep 60"))
	st, err := l.m.State(id)
	require.NoError(t, err)
	shim := parentPid(t, st.Pid)
	cgroups := cgroupDirsOf(t, st.Pid)

	require.NoError(t, syscall.Kill(shim, syscall.SIGKILL))
	require.Eventually(t, func() bool { return parentPid(t, st.Pid) != shim },
		5*time.Second, 10*time.Millisecond, "the container is adopted")
	st, err = l.m.State(id)
	require.NoError(t, err)
	assert.Equal(t, container.Running, st.Status, "the container outlives its shim")

	require.NoError(t, l.m.Signal(id, syscall.SIGKILL))
	_, err = l.m.Wait(l.ctx, id)
	assert.ErrorIs(t, err, container.ErrNoExitStatus)
	require.NoError(t, l.m.Delete(l.ctx, id, true))
	for _, dir := range cgroups {
		assert.NoDirExists(t, dir)
	}
}

// hostMountinfo is the mount table of the test's mount namespace.
func hostMountinfo(t *testing.T) string {
	t.Helper()
	return testkit.ReadFile(t, "/proc/self/mountinfo")
}

// parentPid reads the parent of pid from /proc/PID/stat.
func parentPid(t *testing.T, pid int) int {
	t.Helper()
	stat := testkit.ReadFile(t, filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	// The command name, in parentheses, may hold spaces: skip past it.
	fields := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	ppid, err := strconv.Atoi(fields[1])
	require.NoError(t, err)
	return ppid
}

// cgroupDirsOf lists the cgroup directories of a container's process, one
// per hierarchy, from /proc/PID/cgroup.
// sleeper starts a detached container with a root filesystem of its
// own that sleeps, and returns its ID, state and cgroup directories.
func (l *lab) sleeper() (string, container.State, []string) {
	l.t.Helper()
	id := l.detached(l.writable(bundleArgs("sleep", "60")))
	st, err := l.m.State(id)
	require.NoError(l.t, err)
	cgroups := cgroupDirsOf(l.t, st.Pid)
	require.NotEmpty(l.t, cgroups)
	return id, st, cgroups
}

func cgroupDirsOf(t *testing.T, pid int) []string {
	t.Helper()
	var dirs []string
	cgroupFile := filepath.Join("/proc", strconv.Itoa(pid), "cgroup")
	for _, line := range strings.Split(testkit.ReadFile(t, cgroupFile), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 || !strings.HasPrefix(parts[2], container.CgroupParent+"/") {
			continue
		}
		hierarchy := strings.TrimPrefix(parts[1], "name=")
		if hierarchy == "" && !testkit.IsCgroup2() {
			hierarchy = "unified"
		}
		dirs = append(dirs, filepath.Join("/sys/fs/cgroup", hierarchy, parts[2]))
	}
	return dirs
}
