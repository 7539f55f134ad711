package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfigAndSecretsReachTheApp sets a config var and a secret: both
// reach the app's environment, the secret shows only by name, and its
// value is in no output, log or state file.
func TestConfigAndSecretsReachTheApp(t *testing.T) {
	l := newLab(t)
	l.ok("apps", "create", "conf")
	l.ok("deploy", "-a", "conf", l.example("go-web"))

	const secret = "s3cr3t-value-4e1d"
	out := l.ok("config", "set", "-a", "conf", "GREETING=bonjour")
	assert.Contains(t, out, "Released: v2")
	out += l.ok("secrets", "set", "-a", "conf", "API_KEY="+secret)
	assert.Contains(t, l.body("conf", "/"), "bonjour")
	assert.Equal(t, secret, l.body("conf", "/env?name=API_KEY"))

	out += l.ok("secrets", "-a", "conf")
	assert.Contains(t, out, "API_KEY")
	out += l.ok("config", "-a", "conf", "--json")
	out += l.ok("releases", "-a", "conf", "--json")
	out += l.ok("apps", "info", "conf", "--json")
	assert.NotContains(t, out, secret, "a secret in plain output")
	assert.Contains(t, l.ok("secrets", "-a", "conf", "--reveal"), "API_KEY="+secret)
	assert.Equal(t, "bonjour\n", l.ok("config", "get", "-a", "conf", "GREETING"))

	assert.NotContains(t, l.log.String(), secret, "a secret in the server's log")
	filepath.WalkDir(l.root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, "/registry/") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(secret)) {
			t.Errorf("the secret is in clear in %s", path)
		}
		return nil
	})

	l.ok("secrets", "unset", "-a", "conf", "API_KEY")
	assert.Equal(t, "", l.body("conf", "/env?name=API_KEY"))
}

// TestAuthAndBadInput checks that calls without a token, or with a wrong
// one, are refused, and that bad input gets a clear error and changes
// nothing.
func TestAuthAndBadInput(t *testing.T) {
	l := newLab(t, "--max-upload", "64k")
	for _, token := range []string{"", "sbf_wrong", l.token + "0"} {
		req, err := http.NewRequest(http.MethodGet, l.url+"/v1/apps", nil)
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "token %q", token)
		assert.Contains(t, string(body), "token create")
	}
	resp, err := http.Post(l.url+"/v1/apps", "application/json",
		strings.NewReader(`{"name":"sneaky"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// The OpenAPI description is public.
	resp, err = http.Get(l.url + "/v1/openapi.json")
	require.NoError(t, err)
	spec, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(spec), `"openapi": "3.1.0"`)

	assert.Contains(t, l.fail("apps", "create", "Bad_Name"), "app name")
	assert.Contains(t, l.fail("apps", "create", "../x"), "app name")
	l.ok("apps", "create", "good")
	assert.Contains(t, l.fail("apps", "create", "good"), "exists")
	assert.Contains(t, l.fail("config", "set", "-a", "good", "1BAD=x"), "config var name")
	assert.Contains(t, l.fail("config", "set", "-a", "good", "PORT=1"), "set by the PaaS")
	assert.Contains(t, l.fail("scale", "-a", "good", "web=-1"), "want 0 to")
	assert.Contains(t, l.fail("scale", "-a", "good", "web"), "TYPE=N")
	assert.Contains(t, l.fail("releases", "-a", "nope"), "no app nope")
	assert.Contains(t, l.fail("rollback", "-a", "good"), "no release yet")

	big := t.TempDir()
	noise := make([]byte, 256<<10)
	for i := range noise {
		noise[i] = byte(i*7919 ^ i>>3)
	}
	require.NoError(t, os.WriteFile(filepath.Join(big, "blob.bin"), noise, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(big, "index.html"), []byte("hi"), 0o644))
	assert.Contains(t, l.fail("deploy", "-a", "good", big), "larger than")

	lines := strings.Split(strings.TrimSpace(l.ok("apps")), "\n")
	require.Len(t, lines, 2, "bad input must change nothing: %q", lines)
	_, port, _ := strings.Cut(l.router, ":")
	assert.Equal(t, []string{"good", "-", "web=1", "http://good.shibafu.localhost:" + port},
		strings.Fields(lines[1]))
	assert.Equal(t, "", strings.TrimPrefix(l.ok("config", "-a", "good"), "\n"))
}
