package registry_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"shibafu.dev/phase5-registry/registry"
)

func TestBasicAuthScopes(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	require.NoError(t, err)
	users := filepath.Join(t.TempDir(), "users")
	require.NoError(t, os.WriteFile(users,
		[]byte("# users\nalice:"+string(hash)+":rw\nbob:"+string(hash)+"\n"), 0o600))
	auth, err := registry.LoadUsers(users)
	require.NoError(t, err)
	reg := newServer(t)
	reg.Auth = auth
	srv := httptest.NewServer(reg)
	defer srv.Close()

	tests := []struct {
		user, password, method string
		status                 int
	}{
		{"", "", "GET", http.StatusUnauthorized},
		{"alice", "wrong", "GET", http.StatusUnauthorized},
		{"bob", "secret", "GET", http.StatusOK},
		{"bob", "secret", "POST", http.StatusForbidden},
		{"alice", "secret", "POST", http.StatusAccepted},
	}
	for _, tc := range tests {
		url := srv.URL + "/v2/"
		if tc.method == "POST" {
			url = srv.URL + "/v2/repo/blobs/uploads/"
		}
		req, _ := http.NewRequest(tc.method, url, nil)
		if tc.user != "" {
			req.SetBasicAuth(tc.user, tc.password)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, "%s as %q", tc.method, tc.user)
		if tc.status == http.StatusUnauthorized {
			assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Basic")
		}
	}
}

func TestMetrics(t *testing.T) {
	srv := httptest.NewServer(newServer(t))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v2/")
	require.NoError(t, err)
	resp.Body.Close()

	resp, err = http.Get(srv.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.True(t, strings.Contains(string(body),
		`shibafu_registry_requests_total{code="200",method="GET",route="base"} 1`), "%s", body)
}
