package proxy_test

import (
	"encoding/json"
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
