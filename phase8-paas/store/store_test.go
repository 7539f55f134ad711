package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/api"
)

func open(t *testing.T) (*Store, string) {
	path := filepath.Join(t.TempDir(), "paas.db")
	s, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestReleasesAreNumberedAndSurviveReopen(t *testing.T) {
	s, path := open(t)
	require.NoError(t, s.CreateApp(App{Name: "web", Created: time.Now(),
		Formation: map[string]int{"web": 1}}))
	assert.ErrorIs(t, s.CreateApp(App{Name: "web"}), api.ErrConflict)

	r1, err := s.NewRelease("web", api.Release{Kind: api.KindDeploy,
		Status: api.StatusPending}, nil)
	require.NoError(t, err)
	r2, err := s.NewRelease("web", api.Release{Kind: api.KindDeploy,
		Status: api.StatusPending}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, []int{r1.Number, r2.Number})

	_, err = s.UpdateRelease("web", 2, func(r *api.Release) { r.Status = api.StatusSucceeded })
	require.NoError(t, err)
	r3, err := s.NewRelease("web", api.Release{Kind: api.KindScale}, nil)
	require.NoError(t, err)
	_, err = s.UpdateRelease("web", r3.Number, func(r *api.Release) {
		r.Status = api.StatusSucceeded
	})
	require.NoError(t, err)

	require.NoError(t, s.Close())
	s, err = Open(path)
	require.NoError(t, err)
	app, err := s.App("web")
	require.NoError(t, err)
	assert.Equal(t, 3, app.Release, "the last good release serves")
	assert.Equal(t, 2, app.Generation, "a scale keeps the replicas of the deploy")
	rels, err := s.Releases("web")
	require.NoError(t, err)
	require.Len(t, rels, 3)
	assert.Equal(t, 3, rels[0].Number, "newest first")
	assert.Equal(t, api.StatusPending, rels[2].Status)
}

func TestConfigVersions(t *testing.T) {
	s, _ := open(t)
	require.NoError(t, s.CreateApp(App{Name: "web"}))
	empty, err := s.Config("web", 0)
	require.NoError(t, err)
	assert.Empty(t, empty.Vars)

	n, err := s.NewConfig("web", Config{Vars: map[string]string{"A": "1"}})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	cfg, err := s.Config("web", 1)
	require.NoError(t, err)
	assert.Equal(t, "1", cfg.Vars["A"])
	_, err = s.Config("web", 2)
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestUnknownAppAndDelete(t *testing.T) {
	s, _ := open(t)
	_, err := s.App("nope")
	assert.ErrorIs(t, err, api.ErrNotFound)
	require.NoError(t, s.CreateApp(App{Name: "web"}))
	require.NoError(t, s.DeleteApp("web"))
	apps, err := s.Apps()
	require.NoError(t, err)
	assert.Empty(t, apps)
	assert.ErrorIs(t, s.DeleteApp("web"), api.ErrNotFound)
}
