package proxy_test

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

const goodConfig = `{
  "admin": "127.0.0.1:9901",
  "pools": [
    {"name": "web", "balance": "least-conn", "backends": ["127.0.0.1:9001", "localhost:9002"],
     "health": {"path": "/healthz", "interval": "1s", "timeout": "500ms", "rise": 2, "fall": 3},
     "max_fails": 2, "fail_timeout": "5s", "drain_timeout": "10s"},
    {"name": "db", "backends": ["10.89.0.2:5432"]}
  ],
  "frontends": [
    {"name": "http", "listen": "127.0.0.1:8080",
     "routes": [{"host": "app.localhost", "path_prefix": "/api/", "pool": "web"}], "pool": "web"},
    {"name": "pg", "listen": "127.0.0.1:5433", "mode": "tcp", "pool": "db"}
  ],
  "timeouts": {"connect": "2s", "idle": "1m"}
}`

func TestParseGoodConfig(t *testing.T) {
	cfg, err := proxy.Parse([]byte(goodConfig))
	require.NoError(t, err)
	assert.Equal(t, proxy.LeastConn, cfg.Pools[0].Balance)
	assert.Equal(t, proxy.Duration(500*time.Millisecond), cfg.Pools[0].Health.Timeout)
	assert.Equal(t, proxy.TCP, cfg.Frontends[1].Mode)
}

func TestParseRefusesBadConfig(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"not json", `{`, "config"},
		{"unknown field", `{"pool": []}`, "unknown field"},
		{"trailing data", `{"frontends":[]} {}`, "after"},
		{"no frontends", `{"pools": []}`, "no frontends"},
		{"port 0 backend", `{"pools":[{"name":"p","backends":["127.0.0.1:0"]}]}`, "backends[0]"},
		{"port too big", `{"pools":[{"name":"p","backends":["127.0.0.1:70000"]}]}`, "1 to 65535"},
		{"no port", `{"pools":[{"name":"p","backends":["127.0.0.1"]}]}`, "HOST:PORT"},
		{"bad balance", `{"pools":[{"name":"p","balance":"random"}]}`, "balance"},
		{"bad duration", `{"pools":[{"name":"p","fail_timeout":"soon"}]}`, "duration"},
		{"number duration", `{"pools":[{"name":"p","fail_timeout":5}]}`, "duration"},
		{"timeout over interval", `{"pools":[{"name":"p","health":{"interval":"1s",` +
			`"timeout":"2s"}}]}`, "interval"},
		{"two pools one name", `{"pools":[{"name":"p"},{"name":"p"}]}`, "twice"},
		{"unknown pool", `{"frontends":[{"name":"f","listen":":80","pool":"x"}]}`, "no such pool"},
		{"bad mode", `{"pools":[{"name":"p"}],"frontends":[{"name":"f","listen":":80",` +
			`"pool":"p","mode":"udp"}]}`, "mode"},
		{"tcp with routes", `{"pools":[{"name":"p"}],"frontends":[{"name":"f","listen":":80",` +
			`"pool":"p","mode":"tcp","routes":[{"pool":"p"}]}]}`, "tcp frontend"},
		{"same listen", `{"pools":[{"name":"p"}],"frontends":[{"name":"f","listen":":80",` +
			`"pool":"p"},{"name":"g","listen":":80","pool":"p"}]}`, "twice"},
		{"bad path", `{"pools":[{"name":"p"}],"frontends":[{"name":"f","listen":":80",` +
			`"routes":[{"pool":"p","path_prefix":"api"}]}]}`, "path_prefix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := proxy.Parse([]byte(tc.json))
			require.Error(t, err)
			assert.True(t, errors.Is(err, proxy.ErrInvalid), "wraps ErrInvalid: %v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// FuzzParse feeds Parse arbitrary bytes: it must never panic, and a
// config it accepts must survive a round trip through JSON unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add([]byte(`{"pools":[{"name":"p","backends":["[::1]:80"]}],` +
		`"frontends":[{"name":"f","listen":":0","pool":"p"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := proxy.Parse(data)
		if err != nil {
			if !errors.Is(err, proxy.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		again, err := json.Marshal(cfg)
		require.NoError(t, err)
		cfg2, err := proxy.Parse(again)
		require.NoError(t, err, "re-parse %s", again)
		assert.Equal(t, cfg, cfg2)
	})
}

// TestValidateFrontends checks what only the Go API can say (TLS) and
// the empty HTTP frontend a platform starts its router with.
func TestValidateFrontends(t *testing.T) {
	cert := &tls.Config{Certificates: []tls.Certificate{{}}}
	for _, tc := range []struct {
		name  string
		front proxy.FrontendConfig
		want  string // empty: valid
	}{
		{"empty http", proxy.FrontendConfig{}, ""},
		{"https", proxy.FrontendConfig{TLS: cert}, ""},
		{"https by SNI", proxy.FrontendConfig{TLS: &tls.Config{
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				return nil, nil
			}}}, ""},
		{"https without certificate", proxy.FrontendConfig{TLS: &tls.Config{}}, "tls"},
		{"tcp with tls", proxy.FrontendConfig{Mode: proxy.TCP, Pool: "p", TLS: cert},
			"tcp frontend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.front.Name, tc.front.Listen = "f", "127.0.0.1:0"
			cfg := proxy.Config{Pools: []proxy.PoolConfig{{Name: "p"}},
				Frontends: []proxy.FrontendConfig{tc.front}}
			err := cfg.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, proxy.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
