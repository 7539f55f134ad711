package runc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/testkit"
)

// lab prepares a runc Runtime with its own state root for one test.
func lab(t *testing.T) *Runtime {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "runc")
	return &Runtime{Root: testkit.ShortTempDir(t)}
}

// newBundle writes a busybox bundle running args with opts, in a fresh
// directory.
func newBundle(t *testing.T, opts bundle.Options) string {
	t.Helper()
	dir := testkit.ShortTempDir(t)
	testkit.BusyboxRootfsIn(t, dir)
	spec, err := bundle.Spec(opts)
	require.NoError(t, err)
	require.NoError(t, bundle.WriteConfig(dir, spec))
	return dir
}

// run runs a bundle in the foreground and returns its exit code and output.
func run(t *testing.T, r *Runtime, opts bundle.Options) (int, string) {
	t.Helper()
	var out bytes.Buffer
	id := testkit.UniqueName("t")
	code, err := r.Run(context.Background(), id, newBundle(t, opts), Stdio{Stdout: &out, Stderr: &out})
	require.NoError(t, err)
	return code, out.String()
}

func TestHelloWorld(t *testing.T) {
	r := lab(t)
	code, out := run(t, r, bundle.Options{Args: []string{"echo", "hello from runc"}})
	assert.Equal(t, 0, code)
	assert.Equal(t, "hello from runc\n", out)
}

func TestIsolation(t *testing.T) {
	r := lab(t)
	script := `echo pid=$$; hostname;
		for ns in pid uts mnt ipc net; do echo $ns=$(readlink /proc/self/ns/$ns); done`
	code, out := run(t, r, bundle.Options{Args: []string{"sh", "-c", script}, Hostname: "box"})
	require.Equal(t, 0, code, out)

	assert.Contains(t, out, "pid=1\n", "the container's process is PID 1 in its PID namespace")
	assert.Contains(t, out, "\nbox\n", "the container has its own host name")
	for _, ns := range []string{"pid", "uts", "mnt", "ipc", "net"} {
		host, err := os.Readlink("/proc/self/ns/" + ns)
		require.NoError(t, err)
		assert.Contains(t, out, ns+"=", ns)
		assert.NotContains(t, out, ns+"="+host+"\n", "the %s namespace differs from the host's", ns)
	}
}

func TestReadOnlyRoot(t *testing.T) {
	r := lab(t)
	code, out := run(t, r, bundle.Options{Args: []string{"touch", "/file"}, ReadOnly: true})
	assert.NotEqual(t, 0, code)
	assert.Contains(t, out, "Read-only file system")

	code, _ = run(t, r, bundle.Options{Args: []string{"touch", "/tmp/file"}})
	assert.Equal(t, 0, code, "a writable root accepts the same write")
}

func TestExitCodes(t *testing.T) {
	r := lab(t)
	code, _ := run(t, r, bundle.Options{Args: []string{"sh", "-c", "exit 3"}})
	assert.Equal(t, 3, code)

	// PID 1 cannot be sent SIGKILL from inside its own namespace, so the
	// signal comes from outside, through runc kill.
	ctx := context.Background()
	id := testkit.UniqueName("sig")
	dir := newBundle(t, bundle.Options{Args: []string{"sleep", "60"}})
	done := make(chan int, 1)
	go func() {
		code, err := r.Run(ctx, id, dir, Stdio{})
		assert.NoError(t, err)
		done <- code
	}()
	require.Eventually(t, func() bool {
		s, err := r.State(ctx, id)
		return err == nil && s.Status == "running"
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, r.Kill(ctx, id, "KILL"))
	select {
	case code := <-done:
		assert.Equal(t, 128+9, code, "a process killed by SIGKILL exits 137")
	case <-time.After(10 * time.Second):
		t.Fatal("container did not exit after SIGKILL")
	}
}

func TestMemoryLimitInCgroup(t *testing.T) {
	r := lab(t)
	ctx := context.Background()
	dir := newBundle(t, bundle.Options{Args: []string{"sleep", "60"}, MemoryLimit: 48 << 20, PidsLimit: 10})
	id := testkit.UniqueName("mem")
	require.NoError(t, r.Start(ctx, id, dir, filepath.Join(dir, "log")))
	t.Cleanup(func() { _ = r.Delete(ctx, id, true) })

	state, err := r.State(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "running", state.Status)
	limit := testkit.ReadFile(t, testkit.CgroupFile(t, state.PID, "memory", "memory.limit_in_bytes"))
	assert.Equal(t, fmt.Sprint(48<<20), limit)
	pids := testkit.ReadFile(t, testkit.CgroupFile(t, state.PID, "pids", "pids.max"))
	assert.Equal(t, "10", pids)
}

func TestListKillDelete(t *testing.T) {
	r := lab(t)
	ctx := context.Background()
	dir := newBundle(t, bundle.Options{Args: []string{"sleep", "60"}})
	id := testkit.UniqueName("lkd")
	require.NoError(t, r.Start(ctx, id, dir, filepath.Join(dir, "log")))
	t.Cleanup(func() { _ = r.Delete(ctx, id, true) })

	list, err := r.List(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, id, list[0].ID)

	require.NoError(t, r.Kill(ctx, id, "KILL"))
	require.Eventually(t, func() bool {
		s, err := r.State(ctx, id)
		return err == nil && s.Status == "stopped"
	}, 5*time.Second, 20*time.Millisecond)
	require.NoError(t, r.Delete(ctx, id, false))

	_, err = r.State(ctx, id)
	assert.ErrorIs(t, err, ErrNotFound)
	list, err = r.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)
}

func TestRunErrors(t *testing.T) {
	r := lab(t)
	ctx := context.Background()

	t.Run("missing rootfs", func(t *testing.T) {
		dir := t.TempDir()
		spec, err := bundle.Spec(bundle.Options{})
		require.NoError(t, err)
		require.NoError(t, bundle.WriteConfig(dir, spec))
		_, err = r.Run(ctx, "x1", dir, Stdio{})
		assert.ErrorContains(t, err, "root filesystem")
	})
	t.Run("no config", func(t *testing.T) {
		_, err := r.Run(ctx, "x2", t.TempDir(), Stdio{})
		assert.ErrorIs(t, err, bundle.ErrNoConfig)
	})
	t.Run("bad id", func(t *testing.T) {
		_, err := r.Run(ctx, "../x", newBundle(t, bundle.Options{}), Stdio{})
		assert.ErrorIs(t, err, bundle.ErrInvalidID)
	})
	t.Run("command not found", func(t *testing.T) {
		_, err := r.Run(ctx, testkit.UniqueName("nf"),
			newBundle(t, bundle.Options{Args: []string{"no-such-command"}}), Stdio{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no-such-command")
		assert.False(t, strings.HasPrefix(err.Error(), "runc run failed"))
	})
	t.Run("unknown container", func(t *testing.T) {
		assert.ErrorIs(t, r.Kill(ctx, "nobody-here", "KILL"), ErrNotFound)
		assert.ErrorIs(t, r.Delete(ctx, "nobody-here", false), ErrNotFound)
	})
	list, err := r.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, list, "failed runs leave no container behind")
}
