package container_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase1-libcontainer/container"
)

// TestTwentyContainersAtOnce starts 20 containers concurrently, checks
// they all run, then deletes them concurrently and checks that no cgroup
// is left.
func TestTwentyContainersAtOnce(t *testing.T) {
	l := newLab(t)
	const n = 20
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		cfg := l.sh("sleep 60")
		ids[i] = cfg.ID
		wg.Go(func() { errs[i] = l.m.RunDetached(l.ctx, cfg) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], ids[i])
	}

	states, err := l.m.List()
	require.NoError(t, err)
	require.Len(t, states, n)
	for _, st := range states {
		assert.Equal(t, container.Running, st.Status, st.ID)
	}

	for i := range n {
		wg.Go(func() { errs[i] = l.m.Delete(l.ctx, ids[i], true) })
	}
	wg.Wait()
	for i := range n {
		assert.NoError(t, errs[i], ids[i])
		assert.NoDirExists(t, cgroupDir("pids", ids[i]))
		assert.NoDirExists(t, cgroupDir("memory", ids[i]))
	}
	states, err = l.m.List()
	require.NoError(t, err)
	assert.Empty(t, states)
}
