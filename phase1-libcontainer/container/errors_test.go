package container_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase1-libcontainer/container"
)

// TestInvalidIDsAreRefused checks that IDs which could escape the state
// root, or are not IDs at all, are refused before anything is made.
func TestInvalidIDsAreRefused(t *testing.T) {
	l := newLab(t)
	for _, id := range []string{"../x", "", "a/b", ".hidden", "x y"} {
		t.Run(id, func(t *testing.T) {
			cfg := l.sh("true")
			cfg.ID = id
			assert.ErrorIs(t, l.m.Create(l.ctx, cfg), bundle.ErrInvalidID)
			_, err := l.m.Run(l.ctx, cfg, container.Stdio{})
			assert.ErrorIs(t, err, bundle.ErrInvalidID)
			_, err = l.m.State(id)
			assert.ErrorIs(t, err, bundle.ErrInvalidID)
			assert.ErrorIs(t, l.m.Delete(l.ctx, id, true), bundle.ErrInvalidID)
		})
	}
	entries, _ := os.ReadDir(filepath.Join(l.m.Root, "containers"))
	assert.Empty(t, entries, "nothing was created")
	assert.NoFileExists(t, filepath.Join(filepath.Dir(l.m.Root), "x"))
}

// TestDuplicateIDIsRefused checks that a second container cannot take a
// running container's ID, and that the first is left alone.
func TestDuplicateIDIsRefused(t *testing.T) {
	l := newLab(t)
	first := l.sh("sleep 60")
	id := l.detached(first)

	second := l.sh("true")
	second.ID = id
	assert.ErrorIs(t, l.m.Create(l.ctx, second), container.ErrExists)
	_, err := l.m.Run(l.ctx, second, container.Stdio{})
	assert.ErrorIs(t, err, container.ErrExists)

	st, err := l.m.State(id)
	require.NoError(t, err)
	assert.Equal(t, container.Running, st.Status)
	assert.Equal(t, []string{"sh", "-c", "sleep 60"}, st.Command)
}

// TestUnknownContainer checks that every operation on an unknown ID says
// so with ErrNotFound.
func TestUnknownContainer(t *testing.T) {
	l := newLab(t)
	const id = "nobody-here"
	_, err := l.m.State(id)
	assert.ErrorIs(t, err, container.ErrNotFound)
	assert.ErrorContains(t, err, id)
	assert.ErrorIs(t, l.m.Start(id), container.ErrNotFound)
	assert.ErrorIs(t, l.m.Signal(id, syscall.SIGTERM), container.ErrNotFound)
	assert.ErrorIs(t, l.m.Pause(id), container.ErrNotFound)
	assert.ErrorIs(t, l.m.Resume(id), container.ErrNotFound)
	assert.ErrorIs(t, l.m.Delete(l.ctx, id, true), container.ErrNotFound)
	_, err = l.m.Stats(id)
	assert.ErrorIs(t, err, container.ErrNotFound)
	_, err = l.m.Wait(l.ctx, id)
	assert.ErrorIs(t, err, container.ErrNotFound)
	_, err = l.m.Logs(id)
	assert.ErrorIs(t, err, container.ErrNotFound)
	_, err = l.m.Exec(l.ctx, id, container.ExecOptions{Args: []string{"true"}}, container.Stdio{})
	assert.ErrorIs(t, err, container.ErrNotFound)
}

// TestStoppedContainerRefusesLiveOperations checks the errors for
// operations that need a running container.
func TestStoppedContainerRefusesLiveOperations(t *testing.T) {
	l := newLab(t)
	cfg := l.sh("true")
	l.run(cfg)

	assert.ErrorIs(t, l.m.Signal(cfg.ID, syscall.SIGTERM), container.ErrNotRunning)
	assert.ErrorIs(t, l.m.Pause(cfg.ID), container.ErrNotRunning)
	assert.ErrorIs(t, l.m.Start(cfg.ID), container.ErrNotRunning)
	_, err := l.m.Stats(cfg.ID)
	assert.ErrorIs(t, err, container.ErrNotRunning)
	_, err = l.m.Exec(l.ctx, cfg.ID, container.ExecOptions{Args: []string{"true"}},
		container.Stdio{})
	assert.ErrorIs(t, err, container.ErrNotRunning)
}

// TestBadConfigIsRefused checks configs that cannot describe a container.
func TestBadConfigIsRefused(t *testing.T) {
	l := newLab(t)
	noSpec := container.Config{ID: "no-spec"}
	assert.ErrorContains(t, l.m.Create(l.ctx, noSpec), "no process")

	missing := l.sh("true")
	missing.Rootfs = "/no/such/rootfs"
	assert.ErrorContains(t, l.m.Create(l.ctx, missing), "/no/such/rootfs")

	states, err := l.m.List()
	require.NoError(t, err)
	assert.Empty(t, states, "nothing was created")
}
