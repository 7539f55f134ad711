package bundle

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteAndLoad(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, RootfsDir), 0o755))
	spec, err := Spec(Options{Args: []string{"true"}})
	require.NoError(t, err)
	require.NoError(t, WriteConfig(dir, spec))

	b, err := Load(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"true"}, b.Spec.Process.Args)
	assert.Equal(t, filepath.Join(dir, RootfsDir), b.Rootfs())

	leftovers, _ := filepath.Glob(filepath.Join(dir, ".config-*"))
	assert.Empty(t, leftovers, "the temporary file of the atomic write is gone")
}

func TestLoadErrors(t *testing.T) {
	spec, err := Spec(Options{})
	require.NoError(t, err)

	t.Run("missing directory", func(t *testing.T) {
		_, err := Load(filepath.Join(t.TempDir(), "nope"))
		assert.ErrorContains(t, err, "no such file or directory")
	})
	t.Run("no config", func(t *testing.T) {
		_, err := Load(t.TempDir())
		assert.ErrorIs(t, err, ErrNoConfig)
	})
	t.Run("missing rootfs", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, WriteConfig(dir, spec))
		_, err := Load(dir)
		assert.ErrorContains(t, err, "root filesystem")
		assert.ErrorContains(t, err, "does not exist")
	})
	t.Run("broken json", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, ConfigFile), []byte("{"), 0o644))
		_, err := Load(dir)
		assert.ErrorContains(t, err, "parse config.json")
	})
	t.Run("no args", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, ConfigFile),
			[]byte(`{"root":{"path":"rootfs"},"process":{"args":[]}}`), 0o644))
		_, err := Load(dir)
		assert.ErrorContains(t, err, "no process.args")
	})
}
