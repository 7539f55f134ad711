package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNamedVolumeOutlivesItsContainer(t *testing.T) {
	l := newLab(t)
	l.ok("run", "--rm", "-v", "data:/data", "busybox", "sh", "-c", "echo kept >/data/f")
	assert.Equal(t, "kept\n",
		l.ok("run", "--rm", "-v", "data:/data:ro", "busybox", "cat", "/data/f"))
	assert.FileExists(t, filepath.Join(l.root, "volumes", "data", "f"))

	id := l.run("--name", "user", "-v", "data:/data", "busybox", "sleep", "300")
	l.ok("restart", "user")
	assert.Equal(t, "kept\n", l.ok("exec", "user", "cat", "/data/f"), "a restart keeps its volumes")
	assert.Contains(t, l.ok("volume", "ls"), "user")
	assert.Contains(t, l.fail("volume", "rm", "data"), "in use by user")
	l.ok("rm", "-f", id)
	l.ok("volume", "rm", "data")
	assert.Empty(t, strings.TrimSpace(l.ok("volume", "ls", "-q")))
	assert.NoDirExists(t, filepath.Join(l.root, "volumes", "data"))

	l.ok("volume", "create", "made")
	assert.Contains(t, l.fail("volume", "create", "made"), "exists already")
	l.ok("volume", "rm", "made")
	assert.Contains(t, l.fail("volume", "rm", "made"), "no such volume")
}

func TestBindMount(t *testing.T) {
	l := newLab(t)
	host := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(host, "hello"), []byte("from the host\n"), 0o644))

	l.ok("run", "--rm", "-v", host+":/mnt", "busybox", "sh", "-c",
		"cat /mnt/hello >/mnt/copy")
	copied, err := os.ReadFile(filepath.Join(host, "copy"))
	require.NoError(t, err)
	assert.Equal(t, "from the host\n", string(copied))

	out := l.ok("run", "--rm", "-v", host+":/mnt:ro", "busybox", "sh", "-c",
		"cat /mnt/hello; touch /mnt/new 2>&1 || echo refused")
	assert.Equal(t, "from the host\nrefused\n",
		strings.ReplaceAll(out, "touch: /mnt/new: Read-only file system\n", ""))
	assert.NoFileExists(t, filepath.Join(host, "new"))
}

func TestBadVolumeSpecs(t *testing.T) {
	l := newLab(t)
	for _, tc := range []struct{ spec, want string }{
		{"data", "use SOURCE:TARGET"},
		{"data:relative", "not absolute"},
		{"data:/a/../b", "climbs with"},
		{"/no/such/shibafu/dir:/mnt", "no such file"},
		{"/tmp/../etc:/mnt", "climbs with"},
		{"Bad_Name:/mnt", "volume name"},
		{"data:/mnt:rx", "use ro or rw"},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			assert.Contains(t, l.fail("run", "-d", "-v", tc.spec, "busybox", "true"), tc.want)
		})
	}
	assert.Empty(t, strings.TrimSpace(l.ok("ps", "-a", "-q")), "nothing half-made")
}
