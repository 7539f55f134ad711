package main

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase5-registry/registry"
	"shibafu.dev/phase5-registry/storage"
)

// startRegistry serves a phase 5 registry on 127.0.0.1 for the rest of
// the test and returns its host:port.
func startRegistry(t *testing.T) string {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.Options{NoSync: true})
	require.NoError(t, err)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: &registry.Server{Store: st}}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func TestPushPullAndRunPullsAMissingImage(t *testing.T) {
	l := newLab(t)
	host := startRegistry(t)
	ref := host + "/course/busybox:v1"

	l.ok("tag", "busybox", ref)
	stdout, stderr, err := l.sh("push", ref)
	require.NoError(t, err, stderr)
	digest := strings.TrimSpace(stdout)
	assert.True(t, strings.HasPrefix(digest, "sha256:"), "push prints the digest: %q", digest)
	assert.Contains(t, stderr, "done (", "progress per blob")
	l.ok("rmi", ref)
	assert.NotContains(t, l.ok("images", "-q"), ref)

	stdout, stderr, err = l.sh("run", "--rm", ref, "echo", "pulled")
	require.NoError(t, err, stderr)
	assert.Equal(t, "pulled\n", stdout)
	assert.Contains(t, stderr, "Unable to find image "+ref+" locally")
	assert.Contains(t, stderr, "Digest: "+digest)
	assert.Contains(t, l.ok("images", "--format", "{{.Ref}} {{.Digest}}"), ref+" "+digest)

	l.ok("rmi", ref)
	_, stderr, err = l.sh("pull", ref)
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "Pulled "+ref)
	assert.Contains(t, l.fail("pull", host+"/course/busybox:nope"), "registry answered 404")
	assert.Contains(t, l.fail("pull", "no-host-here"), "want HOST/NAME")
}
