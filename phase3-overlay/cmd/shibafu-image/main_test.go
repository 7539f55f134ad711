package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/internal/labtest"
)

func TestMain(m *testing.M) {
	container.Reexec()
	os.Exit(m.Run())
}

// imageCmd runs shibafu-image with args on the state root and returns its
// standard output.
func imageCmd(t *testing.T, root string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{"--root", root}, args...))
	err := cmd.Execute()
	return strings.TrimSpace(out.String()), err
}

func TestCLIImageAndSnapshotLifecycle(t *testing.T) {
	testkit.RequireRoot(t)
	root := testkit.ShortTempDir(t)
	t.Cleanup(func() {
		imageCmd(t, root, "unmount", "--rm", "snap")
		assert.Empty(t, labtest.MountsUnder(t, root))
	})
	must := func(args ...string) string {
		out, err := imageCmd(t, root, args...)
		require.NoError(t, err, "shibafu-image %v: %s", args, out)
		return out
	}

	assert.Contains(t, must("build-base", "busybox", "bb"), "bb sha256:")
	must("tag", "bb", "bb:v1")
	assert.Contains(t, must("ls"), "bb:v1")
	mnt := must("mount", "bb", "snap")
	require.NoError(t, os.WriteFile(filepath.Join(mnt, "x"), nil, 0o644))
	assert.Contains(t, must("diff", "snap"), "A /x")
	assert.Contains(t, must("snapshots"), "snap")
	must("commit", "snap", "bb:x")
	must("unmount", "--rm", "snap")

	archive := filepath.Join(root, "bb.tar")
	must("export", "bb:x", "-o", archive)
	must("rm", "bb", "bb:v1", "bb:x")
	assert.Contains(t, must("gc"), "blobs")
	assert.Contains(t, must("import", archive), "imported bb:x")

	_, err := imageCmd(t, root, "tag", "bb:x", "no spaces allowed")
	assert.ErrorContains(t, err, "invalid image name")
}
