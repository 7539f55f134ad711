package launch_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/internal/labtest"
	"shibafu.dev/phase3-overlay/launch"
	"shibafu.dev/phase3-overlay/snapshot"
)

// newLauncher returns a launcher on a fresh state root.
func newLauncher(t *testing.T) (*labtest.Env, *launch.Launcher) {
	env := labtest.New(t)
	return env, &launch.Launcher{
		Images: env.Images, Snapshots: env.Snapshots,
		Containers: &container.Manager{Root: env.Root},
	}
}

// run runs sh -c script in a container of ref and returns its exit
// code and output.
func run(t *testing.T, l *launch.Launcher, id, ref, script string, keep bool) (int, string) {
	t.Helper()
	var out bytes.Buffer
	exit, err := l.Run(context.Background(), launch.Options{
		ID: id, Image: ref, Args: []string{"sh", "-c", script}, Keep: keep,
		Stdio: container.Stdio{Stdout: &out, Stderr: &out},
	})
	require.NoError(t, err)
	return exit.Code, strings.TrimSpace(out.String())
}

func TestTwoContainersFromOneImage(t *testing.T) {
	env, l := newLauncher(t)
	env.Busybox(t, "busybox")
	a, b := testkit.UniqueName("a"), testkit.UniqueName("b")

	code, out := run(t, l, a, "busybox", "echo mine > /data && rm /bin/ls && cat /data", true)
	require.Equal(t, 0, code, out)
	assert.Equal(t, "mine", out)

	code, out = run(t, l, b, "busybox", "test ! -e /data && test -e /bin/ls && echo clean", false)
	assert.Equal(t, 0, code, "b sees neither a's file nor its deletion: %s", out)

	code, out = run(t, l, a, "busybox", "cat /data; test ! -e /bin/ls", true)
	assert.Equal(t, 0, code, "a's kept snapshot still has its changes: %s", out)

	changes, err := env.Snapshots.Changes(a)
	require.NoError(t, err)
	assert.Contains(t, changes, snapshot.Change{Kind: snapshot.Deleted, Path: "/bin/ls"})
	img, err := env.Images.Get("busybox")
	require.NoError(t, err)
	assert.Len(t, img.Manifest.Layers, 1, "the image is unchanged")
}

func TestCommitExportImportRun(t *testing.T) {
	env, l := newLauncher(t)
	env.Busybox(t, "busybox")
	id := testkit.UniqueName("c")
	code, out := run(t, l, id, "busybox", "echo round trip > /greeting", true)
	require.Equal(t, 0, code, out)

	ctx := context.Background()
	committed, err := env.Snapshots.Commit(ctx, id, "greeter", snapshot.CommitOptions{})
	require.NoError(t, err)
	var archive bytes.Buffer
	require.NoError(t, env.Images.Export(ctx, &archive, "greeter"))

	fresh, l2 := newLauncher(t)
	imported, err := fresh.Images.Import(ctx, &archive, image.ImportOptions{})
	require.NoError(t, err)
	require.Len(t, imported, 1)
	assert.Equal(t, committed.Descriptor.Digest, imported[0].Descriptor.Digest, "digests match")
	code, out = run(t, l2, testkit.UniqueName("d"), "greeter", "cat /greeting", false)
	assert.Equal(t, 0, code)
	assert.Equal(t, "round trip", out)
}

func TestSpecFollowsTheImageConfig(t *testing.T) {
	img := &image.Image{}
	img.Config.Config.Entrypoint = []string{"/bin/app"}
	img.Config.Config.Cmd = []string{"--default"}
	img.Config.Config.Env = []string{"PATH=/app", "A=1"}
	img.Config.Config.WorkingDir = "/srv"
	img.Config.Config.User = "1000:100"

	spec, err := launch.Spec(img, nil, []string{"A=2"})
	require.NoError(t, err)
	assert.Equal(t, []string{"/bin/app", "--default"}, spec.Process.Args)
	assert.Contains(t, spec.Process.Env, "PATH=/app")
	assert.Contains(t, spec.Process.Env, "A=2")
	assert.NotContains(t, spec.Process.Env, "A=1")
	assert.Equal(t, "/srv", spec.Process.Cwd)
	assert.Equal(t, uint32(1000), spec.Process.User.UID)

	spec, err = launch.Spec(img, []string{"--other"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"/bin/app", "--other"}, spec.Process.Args)
}
