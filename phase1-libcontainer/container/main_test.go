package container_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/rootfs"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
)

// TestMain lets the test binary serve as a container's init and as a
// shim, since the package re-executes its own binary for both.
func TestMain(m *testing.M) {
	container.Reexec()
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// shared is a busybox root filesystem that the tests' containers mount
// read-only. Building one takes a while, so containers get their own only
// when they write to it.
var shared struct {
	once sync.Once
	dir  string
	err  error
}

func sharedRootfs(t *testing.T) string {
	t.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "sbfroot"); shared.err == nil {
			shared.err = rootfs.Busybox("", filepath.Join(shared.dir, "rootfs"))
		}
	})
	require.NoError(t, shared.err, "build shared busybox rootfs")
	return filepath.Join(shared.dir, "rootfs")
}

// lab is one test's container manager, on a state root of its own.
type lab struct {
	t   *testing.T
	m   *container.Manager
	ctx context.Context
}

// newLab requires root and returns a manager whose containers are all
// force-deleted when the test ends, even if it fails.
func newLab(t *testing.T) *lab {
	t.Helper()
	testkit.RequireRoot(t)
	l := &lab{t: t, m: &container.Manager{Root: testkit.ShortTempDir(t)}, ctx: context.Background()}
	t.Cleanup(func() {
		states, _ := l.m.List()
		for _, st := range states {
			l.m.Delete(context.Background(), st.ID, true)
		}
	})
	return l
}

// config returns a container config for opts on the shared read-only
// root filesystem.
func (l *lab) config(opts bundle.Options) container.Config {
	l.t.Helper()
	opts.ReadOnly = true
	spec, err := bundle.Spec(opts)
	require.NoError(l.t, err)
	return container.Config{ID: testkit.UniqueName("t"), Spec: spec, Rootfs: sharedRootfs(l.t)}
}

// writable returns a config for opts with a busybox root filesystem of
// its own, built in the container's directory.
func (l *lab) writable(opts bundle.Options) container.Config {
	l.t.Helper()
	spec, err := bundle.Spec(opts)
	require.NoError(l.t, err)
	return container.Config{ID: testkit.UniqueName("t"), Spec: spec}
}

// sh returns a config running a shell script.
func (l *lab) sh(script string) container.Config {
	return l.config(bundle.Options{Args: []string{"sh", "-c", script}})
}

// detached starts cfg in the background and returns its ID.
func (l *lab) detached(cfg container.Config) string {
	l.t.Helper()
	require.NoError(l.t, l.m.RunDetached(l.ctx, cfg))
	return cfg.ID
}

// run runs cfg in the foreground and returns its exit and its stdout.
func (l *lab) run(cfg container.Config) (container.Exit, string) {
	l.t.Helper()
	var out strings.Builder
	exit, err := l.m.Run(l.ctx, cfg, container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(l.t, err)
	return exit, out.String()
}

// exec runs a command in a running container and returns its output.
func (l *lab) exec(id string, args ...string) (container.Exit, string) {
	l.t.Helper()
	var out strings.Builder
	exit, err := l.m.Exec(l.ctx, id, container.ExecOptions{Args: args},
		container.Stdio{Stdout: &out, Stderr: &out})
	require.NoError(l.t, err)
	return exit, strings.TrimSpace(out.String())
}

// waitExit waits at most a few seconds for a detached container to end.
func (l *lab) waitExit(id string) container.Exit {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	exit, err := l.m.Wait(ctx, id)
	require.NoError(l.t, err)
	return exit
}

// cgroupDir is the container's cgroup for controller, under
// container.CgroupParent, on a v1 or a v2 host.
func cgroupDir(controller, id string) string {
	if testkit.IsCgroup2() {
		return filepath.Join("/sys/fs/cgroup", container.CgroupParent, id)
	}
	return filepath.Join("/sys/fs/cgroup", controller, container.CgroupParent, id)
}

// bundleArgs is bundle.Options for a command with its arguments.
func bundleArgs(args ...string) bundle.Options {
	return bundle.Options{Args: args}
}

// waitOutput waits until a detached container's stdout log reads want.
func (l *lab) waitOutput(id, want string) {
	l.t.Helper()
	logs, err := l.m.Logs(id)
	require.NoError(l.t, err)
	require.Eventually(l.t, func() bool {
		data, _ := os.ReadFile(logs.Stdout)
		return string(data) == want
	}, 10*time.Second, 10*time.Millisecond, "output %q", want)
}
