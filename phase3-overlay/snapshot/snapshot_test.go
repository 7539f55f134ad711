package snapshot_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/internal/labtest"
	"shibafu.dev/phase3-overlay/snapshot"
)

func TestSnapshotsOfOneImageAreIsolated(t *testing.T) {
	env := labtest.New(t)
	ctx := context.Background()
	env.Busybox(t, "busybox")

	a, err := env.Snapshots.Prepare(ctx, "a", "busybox")
	require.NoError(t, err)
	b, err := env.Snapshots.Prepare(ctx, "b", "busybox")
	require.NoError(t, err)
	assert.Len(t, labtest.MountsUnder(t, env.Root), 2)

	require.NoError(t, os.WriteFile(filepath.Join(a.Mountpoint(), "etc/only-a"), []byte("a"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(a.Mountpoint(), "etc/hostname")))

	assert.FileExists(t, filepath.Join(a.Mountpoint(), "etc/only-a"))
	assert.NoFileExists(t, filepath.Join(b.Mountpoint(), "etc/only-a"), "b sees no write of a")
	assert.NoFileExists(t, filepath.Join(a.Mountpoint(), "etc/hostname"), "the whiteout hides it")
	assert.FileExists(t, filepath.Join(b.Mountpoint(), "etc/hostname"), "b still has it")
	assert.FileExists(t, filepath.Join(a.Upper(), "etc/only-a"), "writes land in the upper dir")

	changes, err := env.Snapshots.Changes("a")
	require.NoError(t, err)
	assert.Contains(t, changes, snapshot.Change{Kind: snapshot.Added, Path: "/etc/only-a"})
	assert.Contains(t, changes, snapshot.Change{Kind: snapshot.Deleted, Path: "/etc/hostname"})
	assert.Contains(t, changes, snapshot.Change{Kind: snapshot.Changed, Path: "/etc"})

	// The image itself is untouched: a third snapshot sees it whole.
	c, err := env.Snapshots.Prepare(ctx, "c", "busybox")
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(c.Mountpoint(), "etc/hostname"))
	assert.NoFileExists(t, filepath.Join(c.Mountpoint(), "etc/only-a"))
}

func TestLayersAreUnpackedOnce(t *testing.T) {
	env := labtest.New(t)
	ctx := context.Background()
	img := env.Busybox(t, "busybox")
	for _, name := range []string{"one", "two"} {
		_, err := env.Snapshots.Prepare(ctx, name, "busybox")
		require.NoError(t, err)
	}
	layers, err := os.ReadDir(filepath.Join(env.Root, "snapshots/layers/sha256"))
	require.NoError(t, err)
	require.Len(t, layers, 1)
	assert.Equal(t, img.Config.RootFS.DiffIDs[0].Encoded(), layers[0].Name(),
		"an unpacked layer is keyed by its diff ID")

	_, err = env.Snapshots.Prepare(ctx, "one", "busybox")
	assert.ErrorIs(t, err, snapshot.ErrExists)
}

func TestUnmountKeepsChanges(t *testing.T) {
	env := labtest.New(t)
	ctx := context.Background()
	env.Busybox(t, "busybox")
	sn, err := env.Snapshots.Prepare(ctx, "k", "busybox")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(sn.Mountpoint(), "kept"), nil, 0o644))

	require.NoError(t, env.Snapshots.Unmount("k"))
	assert.Empty(t, labtest.MountsUnder(t, env.Root))
	sn, err = env.Snapshots.Mount("k")
	require.NoError(t, err)
	assert.True(t, sn.Mounted)
	assert.FileExists(t, filepath.Join(sn.Mountpoint(), "kept"))
}

func TestCommitExportImportRoundTrip(t *testing.T) {
	env := labtest.New(t)
	ctx := context.Background()
	env.Busybox(t, "busybox")
	sn, err := env.Snapshots.Prepare(ctx, "work", "busybox")
	require.NoError(t, err)
	motd := filepath.Join(sn.Mountpoint(), "etc/motd")
	require.NoError(t, os.WriteFile(motd, []byte("committed\n"), 0o644))
	require.NoError(t, os.RemoveAll(filepath.Join(sn.Mountpoint(), "home")))

	committed, err := env.Snapshots.Commit(ctx, "work", "busybox:motd", snapshot.CommitOptions{})
	require.NoError(t, err)
	assert.Len(t, committed.Manifest.Layers, 2)
	var archive bytes.Buffer
	require.NoError(t, env.Images.Export(ctx, &archive, "busybox:motd"))

	fresh := labtest.New(t)
	imported, err := fresh.Images.Import(ctx, &archive, image.ImportOptions{})
	require.NoError(t, err)
	require.Len(t, imported, 1)
	assert.Equal(t, committed.Descriptor.Digest, imported[0].Descriptor.Digest)
	again, err := fresh.Snapshots.Prepare(ctx, "again", "busybox:motd")
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(again.Mountpoint(), "etc/motd"))
	require.NoError(t, err)
	assert.Equal(t, "committed\n", string(data))
	assert.NoDirExists(t, filepath.Join(again.Mountpoint(), "home"), "the deletion travelled")
	assert.FileExists(t, filepath.Join(again.Mountpoint(), "bin/busybox"))
}

func TestPruneAndGCKeepWhatSnapshotsUse(t *testing.T) {
	env := labtest.New(t)
	ctx := context.Background()
	img := env.Busybox(t, "busybox")
	_, err := env.Snapshots.Prepare(ctx, "user", "busybox")
	require.NoError(t, err)
	require.NoError(t, env.Images.Remove("busybox"))

	removed, inUse, err := env.Snapshots.Prune(ctx)
	require.NoError(t, err)
	assert.Empty(t, removed, "the snapshot still uses the layer")
	gone, err := env.Images.GC(ctx, inUse...)
	require.NoError(t, err)
	assert.Empty(t, gone)
	_, err = env.Snapshots.Commit(ctx, "user", "still-works", snapshot.CommitOptions{})
	require.NoError(t, err, "commit needs the base image's blobs")

	require.NoError(t, env.Snapshots.Remove("user"))
	require.NoError(t, env.Images.Remove("still-works"))
	removed, inUse, err = env.Snapshots.Prune(ctx)
	require.NoError(t, err)
	assert.Equal(t, img.Config.RootFS.DiffIDs, removed)
	gone, err = env.Images.GC(ctx, inUse...)
	require.NoError(t, err)
	assert.NotEmpty(t, gone)
	blobs, err := env.Images.Content().List()
	require.NoError(t, err)
	assert.Empty(t, blobs)
}
