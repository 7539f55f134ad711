// Package labtest holds what the lab tests of phase 3 share: a state
// root of their own with an image store and a snapshot store in it, torn
// down after the test with a check that nothing is left mounted.
package labtest

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"
)

// Env is one test's state root and the stores in it.
type Env struct {
	Root      string
	Images    *image.Store
	Snapshots *snapshot.Store
}

// New makes a fresh state root for a test that mounts overlays (so it
// requires root). When the test ends, every snapshot is unmounted and
// removed, and the test fails if anything below the root is still
// mounted.
func New(t testing.TB) *Env {
	t.Helper()
	testkit.RequireRoot(t)
	root := testkit.ShortTempDir(t)
	images, err := image.Open(filepath.Join(root, "images"))
	require.NoError(t, err)
	snapshots, err := snapshot.New(filepath.Join(root, "snapshots"), images)
	require.NoError(t, err)
	env := &Env{Root: root, Images: images, Snapshots: snapshots}
	t.Cleanup(func() { env.teardown(t) })
	return env
}

func (e *Env) teardown(t testing.TB) {
	if list, err := e.Snapshots.List(); err == nil {
		for _, sn := range list {
			assert.NoError(t, e.Snapshots.Remove(sn.Name))
		}
	}
	assert.Empty(t, MountsUnder(t, e.Root), "mounts left behind")
}

// Busybox builds a busybox image named ref in the env's store.
func (e *Env) Busybox(t testing.TB, ref string) *image.Image {
	t.Helper()
	img, err := e.Images.Busybox(context.Background(), ref)
	require.NoError(t, err)
	return img
}

// MountsUnder lists the mount points below dir, read from
// /proc/self/mountinfo (the fifth field of each line).
func MountsUnder(t testing.TB, dir string) []string {
	t.Helper()
	f, err := os.Open("/proc/self/mountinfo")
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && strings.HasPrefix(fields[4], dir+"/") {
			out = append(out, fields[4])
		}
	}
	require.NoError(t, sc.Err())
	return out
}
