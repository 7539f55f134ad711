package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"

	"shibafu.dev/phase7-runtime/api"
)

func TestSaveAndLoadThroughSkopeo(t *testing.T) {
	l := newLab(t)
	skopeo := testkit.RequireTool(t, "skopeo")
	saved := filepath.Join(l.dir, "busybox.tar")
	copied := filepath.Join(l.dir, "copied.tar")

	l.ok("save", "-o", saved, "busybox")
	out, err := exec.Command(skopeo, "copy", "oci-archive:"+saved+":busybox",
		"oci-archive:"+copied+":copied").CombinedOutput()
	require.NoError(t, err, "skopeo reads what save wrote:\n%s", out)

	assert.Equal(t, "Loaded image: copied\n", l.ok("load", "-i", copied))
	assert.Equal(t, "from the copy\n", l.ok("run", "--rm", "copied", "echo", "from the copy"))

	l.ok("rmi", "busybox")
	assert.Equal(t, "Loaded image: busybox\n", l.ok("image", "load", "-i", saved))
	assert.Contains(t, l.ok("images", "-q"), "busybox")

	assert.Contains(t, l.fail("save", "-o", filepath.Join(l.dir, "no.tar"), "nosuch"), "nosuch")
	assert.NoFileExists(t, filepath.Join(l.dir, "no.tar"), "no half-written archive")
	require.NoError(t, os.WriteFile(filepath.Join(l.dir, "junk.tar"), []byte("junk"), 0o644))
	assert.NotEmpty(t, l.fail("load", "-i", filepath.Join(l.dir, "junk.tar")))
}

func TestImportRootfsTarball(t *testing.T) {
	l := newLab(t)
	id := l.run("busybox", "sh", "-c", "echo made-here > /marker; sleep 300")
	rootfs := l.inspect(id).Rootfs
	tarball := filepath.Join(l.dir, "rootfs.tgz")
	testkit.RequireTool(t, "tar")
	require.Eventually(t, func() bool {
		_, err := os.Stat(filepath.Join(rootfs, "marker"))
		return err == nil
	}, 5*time.Second, 50*time.Millisecond)
	out, err := exec.Command("tar", "-czf", tarball, "-C", rootfs, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	digest := strings.TrimSpace(l.ok("import", tarball, "imported"))
	assert.True(t, strings.HasPrefix(digest, "sha256:"), digest)
	assert.Equal(t, "made-here\n", l.ok("run", "--rm", "imported", "cat", "/marker"))

	require.NoError(t, os.WriteFile(filepath.Join(l.dir, "junk"), []byte("not a tar"), 0o644))
	assert.Contains(t, l.fail("import", filepath.Join(l.dir, "junk"), "junk"),
		"not a tar archive")
	assert.NotContains(t, l.ok("images", "-q"), "junk", "nothing half-made")
	assert.Contains(t, l.fail("import", tarball, "Bad Name"), "Bad Name")
}

func TestSystemDFAndPrune(t *testing.T) {
	l := newLab(t)
	keep := l.newNetwork(t)
	unused := l.newNetwork(t)
	running := l.run("--name", "running", "--network", keep, "-v", "data:/data", "busybox",
		"sh", "-c", "head -c 2000000 /dev/zero > /data/blob; head -c 1000000 /dev/zero > /big;"+
			" sleep 300")
	exited := l.run("--name", "exited", "busybox", "sh", "-c",
		"head -c 3000000 /dev/zero > /big")
	l.waitStatus(exited, api.StatusExited)
	require.Eventually(t, func() bool {
		_, _, err := l.sh("exec", "running", "test", "-f", "/big")
		return err == nil
	}, 5*time.Second, 50*time.Millisecond)
	created := strings.TrimSpace(l.ok("create", "busybox", "true"))
	l.ids = append(l.ids, created)
	l.ok("import", "-", "scratch-image") // from the empty stdin: an empty layer
	l.ok("rmi", "scratch-image")         // its blobs stay, used by nothing

	var du api.DiskUsage
	require.NoError(t, json.Unmarshal([]byte(l.ok("system", "df", "--format", "json")), &du))
	assert.Equal(t, 3, du.Containers.Total)
	assert.Equal(t, 1, du.Containers.Active)
	assert.GreaterOrEqual(t, du.Containers.Size, int64(4_000_000))
	assert.GreaterOrEqual(t, du.Containers.Reclaimable, int64(3_000_000))
	assert.Less(t, du.Containers.Reclaimable, du.Containers.Size)
	assert.Equal(t, 1, du.Images.Total)
	assert.Equal(t, 1, du.Images.Active)
	assert.Positive(t, du.Images.Size)
	assert.Equal(t, api.Usage{Total: 1, Active: 1, Size: du.Volumes.Size}, du.Volumes)
	assert.GreaterOrEqual(t, du.Volumes.Size, int64(2_000_000))
	assert.Contains(t, l.ok("system", "df"), "RECLAIMABLE")

	_, _, err := l.shIn("n\n", "system", "prune")
	require.Error(t, err, "not confirmed")
	assert.Len(t, strings.Fields(l.ok("ps", "-a", "-q")), 3, "nothing removed")

	out := l.ok("system", "prune", "-f")
	assert.Contains(t, out, "Deleted container: "+exited)
	assert.Contains(t, out, "Deleted container: "+created)
	assert.Contains(t, out, "Deleted network: "+unused)
	assert.NotContains(t, out, running)
	assert.NotContains(t, out, keep)
	assert.NotContains(t, out, l.network, "the default network stays")
	assert.NotContains(t, out, "Deleted 0 image blobs", "the removed image's blobs went")
	assert.Equal(t, []string{running}, strings.Fields(l.ok("ps", "-a", "-q")))
	assert.Contains(t, l.ok("volume", "ls", "-q"), "data", "volumes stay")
	assert.Equal(t, "ok\n", l.ok("run", "--rm", "busybox", "echo", "ok"), "images stay")
}
