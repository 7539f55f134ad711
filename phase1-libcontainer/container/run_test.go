package container_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase1-libcontainer/container"
)

func TestRunReturnsExitCode(t *testing.T) {
	l := newLab(t)

	exit, out := l.run(l.sh("echo hi"))
	assert.Equal(t, 0, exit.Code)
	assert.Equal(t, "hi\n", out)

	cfg := l.sh("echo oops >&2; exit 7")
	exit, out = l.run(cfg)
	assert.Equal(t, 7, exit.Code)
	assert.Equal(t, "oops\n", out)

	// The stopped container is kept, with its exit status, until deleted.
	st, err := l.m.State(cfg.ID)
	require.NoError(t, err)
	assert.Equal(t, container.Stopped, st.Status)
	require.NotNil(t, st.Exit)
	assert.Equal(t, 7, st.Exit.Code)
}

func TestRunKilledByContextReturns137(t *testing.T) {
	l := newLab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()

	cfg := l.sh("sleep 30")
	exit, err := l.m.Run(ctx, cfg, container.Stdio{})
	require.NoError(t, err)
	assert.Equal(t, 137, exit.Code)
	assert.Equal(t, "SIGKILL", exit.Signal)
}

func TestRunAutoRemoveLeavesNothing(t *testing.T) {
	l := newLab(t)
	cfg := l.writable(bundleArgs("true"))
	cfg.AutoRemove = true

	l.run(cfg)
	_, err := l.m.State(cfg.ID)
	assert.ErrorIs(t, err, container.ErrNotFound)
	_, err = os.Stat(cgroupDir("pids", cfg.ID))
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = os.Stat(filepath.Join(l.m.Root, "containers", cfg.ID))
	assert.ErrorIs(t, err, os.ErrNotExist, "busybox rootfs removed")
}

func TestRunMissingCommandFailsCleanly(t *testing.T) {
	l := newLab(t)
	cfg := l.config(bundleArgs("no-such-command"))

	_, err := l.m.Run(l.ctx, cfg, container.Stdio{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-such-command")
	_, err = l.m.State(cfg.ID)
	assert.ErrorIs(t, err, container.ErrNotFound)
	_, err = os.Stat(cgroupDir("pids", cfg.ID))
	assert.ErrorIs(t, err, os.ErrNotExist)
}
