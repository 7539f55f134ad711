package launch_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/rootfs"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"
)

// These tests check the store against the reference tools: umoci reads
// and writes the OCI image layout, skopeo copies between layouts.

func TestUmociUnpacksOurImage(t *testing.T) {
	umoci := testkit.RequireTool(t, "umoci")
	env, _ := newLauncher(t)
	ctx := context.Background()
	env.Busybox(t, "busybox")
	sn, err := env.Snapshots.Prepare(ctx, testkit.UniqueName("u"), "busybox")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(sn.Mountpoint(), "etc/added"), []byte("yes"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(sn.Mountpoint(), "etc/hostname")))
	_, err = env.Snapshots.Commit(ctx, sn.Name, "busybox:two", snapshot.CommitOptions{})
	require.NoError(t, err)

	bundle := filepath.Join(testkit.ShortTempDir(t), "bundle")
	testkit.Run(t, umoci, "unpack", "--image", env.Images.Dir()+":busybox:two", bundle)
	data, err := os.ReadFile(filepath.Join(bundle, "rootfs/etc/added"))
	require.NoError(t, err)
	assert.Equal(t, "yes", string(data))
	assert.NoFileExists(t, filepath.Join(bundle, "rootfs/etc/hostname"), "umoci applied our whiteout")
	assert.FileExists(t, filepath.Join(bundle, "rootfs/bin/busybox"))
}

func TestUmociImageImportsAndRuns(t *testing.T) {
	umoci := testkit.RequireTool(t, "umoci")
	work := testkit.ShortTempDir(t)
	layout, bundle := filepath.Join(work, "layout"), filepath.Join(work, "bundle")
	testkit.Run(t, umoci, "init", "--layout", layout)
	testkit.Run(t, umoci, "new", "--image", layout+":base")
	testkit.Run(t, umoci, "unpack", "--image", layout+":base", bundle)
	require.NoError(t, rootfs.Busybox("", filepath.Join(bundle, "rootfs")))
	require.NoError(t, os.WriteFile(filepath.Join(bundle, "rootfs/made-by"), []byte("umoci\n"), 0o644))
	testkit.Run(t, umoci, "repack", "--image", layout+":base", bundle)
	testkit.Run(t, umoci, "config", "--image", layout+":base", "--config.env", image.DefaultPath)

	env, l := newLauncher(t)
	imported, err := env.Images.ImportLayout(context.Background(), layout,
		image.ImportOptions{}, "base")
	require.NoError(t, err)
	require.Len(t, imported, 1)
	code, out := run(t, l, testkit.UniqueName("m"), "base", "cat /made-by", false)
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "umoci", out)
}

func TestSkopeoCopiesBothWays(t *testing.T) {
	skopeo := testkit.RequireTool(t, "skopeo")
	env, l := newLauncher(t)
	img := env.Busybox(t, "busybox")
	other := filepath.Join(testkit.ShortTempDir(t), "other")

	testkit.Run(t, skopeo, "copy", "oci:"+env.Images.Dir()+":busybox", "oci:"+other+":copied")
	testkit.Run(t, skopeo, "copy", "oci:"+other+":copied", "oci:"+env.Images.Dir()+":back")
	back, err := env.Images.Get("back")
	require.NoError(t, err)
	assert.Equal(t, img.Descriptor.Digest, back.Descriptor.Digest, "an OCI-to-OCI copy keeps digests")

	fresh, l2 := newLauncher(t)
	_, err = fresh.Images.ImportLayout(context.Background(), other, image.ImportOptions{})
	require.NoError(t, err)
	code, out := run(t, l2, testkit.UniqueName("s"), "copied", "echo copied ok", false)
	assert.Equal(t, 0, code, out)
	code, _ = run(t, l, testkit.UniqueName("s"), "back", "true", false)
	assert.Equal(t, 0, code)
}
