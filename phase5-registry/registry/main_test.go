package registry_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/registry"
	"shibafu.dev/phase5-registry/storage"
)

// newServer returns a server on a fresh store in a temporary directory.
func newServer(t *testing.T) *registry.Server {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.Options{NoSync: true})
	require.NoError(t, err)
	return &registry.Server{Store: st}
}
