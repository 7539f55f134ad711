package proxy_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

func TestAdminAPIChangesPool(t *testing.T) {
	blue, green := newBackend(t, "blue"), newBackend(t, "green")
	cfg := httpConfig(proxy.PoolConfig{Backends: addrs(blue)})
	cfg.Admin = "127.0.0.1:0"
	s := startProxy(t, cfg)
	admin := "http://" + s.AdminAddr().String()

	call := func(method, path, body string) (int, proxy.PoolStatus) {
		req, err := http.NewRequest(method, admin+path, strings.NewReader(body))
		require.NoError(t, err)
		res, err := client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var st proxy.PoolStatus
		json.NewDecoder(res.Body).Decode(&st)
		return res.StatusCode, st
	}

	_, body := get(t, s, "/")
	assert.Equal(t, "blue", body)
	status, st := call("PUT", "/pools/web", `{"backends":["`+green.addr()+`"]}`)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, st.Backends, 1)
	assert.Equal(t, green.addr(), st.Backends[0].Address)
	_, body = get(t, s, "/")
	assert.Equal(t, "green", body, "traffic moved to green at once")

	status, st = call("POST", "/pools/web/backends", `{"address":"`+blue.addr()+`"}`)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, st.Backends, 2)
	status, st = call("DELETE", "/pools/web/backends/"+green.addr(), "")
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, st.Backends, 1)

	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"PUT", "/pools/nope", `{"backends":[]}`, http.StatusNotFound},
		{"PUT", "/pools/web", `{"backends":["no-port"]}`, http.StatusBadRequest},
		{"PUT", "/pools/web", `{"backend":[]}`, http.StatusBadRequest},
		{"DELETE", "/pools/web/backends/127.0.0.1:1", "", http.StatusNotFound},
	} {
		status, _ := call(tc.method, tc.path, tc.body)
		assert.Equal(t, tc.want, status, "%s %s %s", tc.method, tc.path, tc.body)
	}
	_, st = call("GET", "/pools/web", "")
	assert.Equal(t, []string{blue.addr()}, []string{st.Backends[0].Address},
		"refused changes changed nothing")
}

func TestAdminAPIAddsPoolsAndRoutes(t *testing.T) {
	app := newBackend(t, "app")
	cfg := emptyConfig()
	cfg.Admin = "127.0.0.1:0"
	s := startProxy(t, cfg)
	admin := "http://" + s.AdminAddr().String()
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, admin+path, strings.NewReader(body))
		require.NoError(t, err)
		res, err := client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		out, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(out)
	}

	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/routes/front", "", http.StatusOK},
		{"POST", "/pools", `{"name":"app","backends":["` + app.addr() + `"]}`,
			http.StatusCreated},
		{"POST", "/pools", `{"name":"app"}`, http.StatusConflict},
		{"POST", "/pools", `{"name":"x","backends":["no-port"]}`, http.StatusBadRequest},
		{"PUT", "/routes/front", `{"routes":[{"host":"app.test","pool":"ghost"}]}`,
			http.StatusBadRequest},
		{"PUT", "/routes/nope", `{"routes":[]}`, http.StatusNotFound},
		{"PUT", "/routes/front", `{"routes":[{"host":"app.test","pool":"app"}]}`,
			http.StatusOK},
		{"DELETE", "/pools/app", "", http.StatusConflict},
		{"DELETE", "/pools/nope", "", http.StatusNotFound},
	} {
		status, body := call(tc.method, tc.path, tc.body)
		assert.Equal(t, tc.want, status, "%s %s %s: %s", tc.method, tc.path, tc.body, body)
	}
	_, body, err := getHost(s, "app.test", "/")
	require.NoError(t, err)
	assert.Equal(t, "app", body)
	_, body = call("GET", "/routes/front", "")
	assert.JSONEq(t, `{"routes":[{"host":"app.test","path_prefix":"/","pool":"app"}]}`, body)

	status, _ := call("PUT", "/routes/front", `{"routes":[]}`)
	require.Equal(t, http.StatusOK, status)
	status, _ = call("DELETE", "/pools/app", "")
	assert.Equal(t, http.StatusNoContent, status)
	status, _, err = getHost(s, "app.test", "/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, status)
}
