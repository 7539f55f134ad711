package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
)

func TestCopyInAndOut(t *testing.T) {
	l := newLab(t)
	l.run("--name", "box", "busybox", "sleep", "300")
	local := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(local, "note"), []byte("from host\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(local, "tree/sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(local, "tree/sub/f"), []byte("deep\n"), 0o600))

	l.ok("cp", filepath.Join(local, "note"), "box:/tmp")
	assert.Equal(t, "from host\n", l.ok("exec", "box", "cat", "/tmp/note"), "into a directory")
	l.ok("cp", filepath.Join(local, "tree"), "box:/srv")
	assert.Equal(t, "deep\n", l.ok("exec", "box", "cat", "/srv/sub/f"), "as a new name")
	assert.Equal(t, "600\n", l.ok("exec", "box", "stat", "-c", "%a", "/srv/sub/f"))

	l.ok("exec", "box", "sh", "-c", "mkdir /data; echo hi >/data/a; ln -s /data/a /data/link")
	out := filepath.Join(local, "out")
	l.ok("cp", "box:/data", out)
	data, err := os.ReadFile(filepath.Join(out, "a"))
	require.NoError(t, err)
	assert.Equal(t, "hi\n", string(data))
	link, err := os.Readlink(filepath.Join(out, "link"))
	require.NoError(t, err)
	assert.Equal(t, "/data/a", link)

	// An absolute symlink in the container resolves in the container,
	// never on the host.
	l.ok("exec", "box", "ln", "-s", "/", "/escape")
	name := testkit.UniqueName("sbf7-cp")
	l.ok("cp", filepath.Join(local, "note"), "box:/escape/tmp/"+name)
	assert.Equal(t, "from host\n", l.ok("exec", "box", "cat", "/tmp/"+name))
	assert.NoFileExists(t, "/tmp/"+name)
	l.ok("cp", "box:/escape/data/a", filepath.Join(local, "a"))
	data, err = os.ReadFile(filepath.Join(local, "a"))
	require.NoError(t, err)
	assert.Equal(t, "hi\n", string(data))

	// The copied files are part of the container's changes: commit keeps
	// them in a new image, which a new container starts from.
	l.ok("commit", "-m", "notes", "box", "box-notes")
	assert.Equal(t, "from host\n", l.ok("run", "--rm", "box-notes", "cat", "/tmp/note"))
	assert.Equal(t, "running", l.inspect("box").State.Status, "thawed after the commit")

	assert.Contains(t, l.fail("cp", "box:/nope", local), "no such file in the container")
	assert.Contains(t, l.fail("cp", "box:relative", local), "want an absolute path")
}
