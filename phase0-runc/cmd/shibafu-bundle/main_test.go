package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBinaries()
	os.Exit(code)
}

// bundleCmd returns a function running the shibafu-bundle binary with a
// private runc root.
func bundleCmd(t *testing.T) func(args ...string) (string, int) {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "runc")
	dir := testkit.ShortTempDir(t)
	bin := testkit.Binary(t, "shibafu-bundle")
	root := filepath.Join(dir, "state")
	return func(args ...string) (string, int) {
		out, err := exec.Command(bin, append([]string{"--root", root}, args...)...).CombinedOutput()
		if exitErr, ok := err.(*exec.ExitError); ok {
			return string(out), exitErr.ExitCode()
		}
		require.NoError(t, err)
		return string(out), 0
	}
}

func TestCLIInitAndRun(t *testing.T) {
	run := bundleCmd(t)
	b := filepath.Join(testkit.ShortTempDir(t), "hello")

	out, code := run("init", b, "--hostname", "cli", "--", "sh", "-c", "hostname; exit 4")
	require.Equal(t, 0, code, out)
	assert.FileExists(t, filepath.Join(b, "config.json"))

	out, code = run("run", b)
	assert.Equal(t, 4, code, "run exits with the container's code")
	assert.Equal(t, "cli\n", out)

	out, code = run("list")
	assert.Equal(t, 0, code)
	assert.NotContains(t, out, "hello", "a foreground container is gone once it exits")
}

func TestCLIBadInput(t *testing.T) {
	run := bundleCmd(t)
	dir := testkit.ShortTempDir(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"init", filepath.Join(dir, "a"), "--memory", "lots"}, `size "lots"`},
		{[]string{"init", filepath.Join(dir, "b"), "--user", "root"}, `user "root"`},
		{[]string{"init", filepath.Join(dir, "c"), "--rootfs", "/nonexistent"}, "no such file"},
		{[]string{"init", filepath.Join(dir, "d"), "--rootfs", "/x", "--rootfs-tar", "/y"}, "at most one"},
		{[]string{"run", dir}, "no config.json"},
		{[]string{"run", "--id", "a/b", dir}, "invalid container ID"},
		{[]string{"kill", "ghost"}, "does not exist"},
		{[]string{"spec"}, "give the bundle directory"},
	}
	for _, tt := range tests {
		out, code := run(tt.args...)
		assert.NotEqual(t, 0, code, "%v", tt.args)
		assert.Contains(t, out, tt.want, "%v", tt.args)
	}
	for _, name := range []string{"a", "b", "c", "d"} {
		assert.NoDirExists(t, filepath.Join(dir, name), "a failed init leaves nothing behind")
	}
}
