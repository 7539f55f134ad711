package proxy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRerouteAfterPoolRemoved plays, step by step, the race that the
// load tests of live_test.go rarely meet: a request reads the route
// table, the host moves to another pool, the old pool is removed, and
// only then does the request look for a backend.
func TestRerouteAfterPoolRemoved(t *testing.T) {
	a := newPool(PoolConfig{Name: "a", Backends: []string{"127.0.0.1:1"}})
	b := newPool(PoolConfig{Name: "b", Backends: []string{"127.0.0.1:2"}})
	pools := map[string]*Pool{"a": a, "b": b}
	rt := &router{}
	rt.set([]Route{{Host: "app.test", Pool: "a"}}, pools)
	host, path := []byte("app.test"), []byte("/x")

	ro := rt.match(host, path) // the request reads the table ...
	require.NotNil(t, ro)
	assert.Nil(t, rt.reroute(a, host, path), "a pool still running is not routed again")
	rt.set([]Route{{Host: "app.test", Pool: "b"}}, pools) // ... the host moves ...
	assert.False(t, rt.uses(a))
	a.retire() // ... and its old pool is removed and drained.

	assert.Nil(t, ro.pool.pick(nil), "the old pool sends nothing new")
	assert.Equal(t, b, rt.reroute(ro.pool, host, path), "the current table decides")
	assert.Nil(t, rt.reroute(a, []byte("other.test"), path), "no route now: nil")
	require.Error(t, a.Set([]string{"127.0.0.1:3"}), "a removed pool takes no backends")
}
