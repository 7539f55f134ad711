package proxy_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// TestRouteHeaders checks that a route's Headers reach the client on
// both paths, replacing the backend's own field of that name, and that
// other routes get none.
func TestRouteHeaders(t *testing.T) {
	backend := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=1")
		w.Header().Set("X-App", "yes")
	})
	b := newBackend(t, "b")
	b.srv.Config.Handler = backend
	s := startProxy(t, emptyConfig())
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "web", Backends: addrs(b)}))
	hsts := map[string]string{"strict-transport-security": "max-age=31536000"}
	require.NoError(t, s.SetRoutes("front", []proxy.Route{
		{Host: "secure.test", Pool: "web", Headers: hsts},
		{Host: "plain.test", Pool: "web"},
	}))

	for _, tc := range []struct{ name, host, path, want string }{
		{"fast path", "secure.test", "/", "max-age=31536000"},
		{"net/http path", "secure.test", "/%7e", "max-age=31536000"},
		{"other route", "plain.test", "/", "max-age=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", "http://"+s.Addr("front").String()+tc.path, nil)
			require.NoError(t, err)
			req.Host = tc.host
			res, err := client.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			assert.Equal(t, []string{tc.want}, res.Header.Values("Strict-Transport-Security"))
			assert.Equal(t, "yes", res.Header.Get("X-App"))
		})
	}
}

// TestRouteHeadersInvalid checks that a route may not set a field of
// the framing, nor a malformed one.
func TestRouteHeadersInvalid(t *testing.T) {
	s := startProxy(t, emptyConfig())
	require.NoError(t, s.AddPool(proxy.PoolConfig{Name: "web"}))
	for _, h := range []map[string]string{
		{"Content-Length": "1"}, {"Connection": "close"}, {"Bad Name": "x"}, {"X": "a\r\nb"},
	} {
		err := s.SetRoutes("front", []proxy.Route{{Pool: "web", Headers: h}})
		assert.ErrorIs(t, err, proxy.ErrInvalid, "%v", h)
	}
}
