package proxy

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is a proxy's whole configuration: what it listens on and where
// it sends traffic. Parse reads it from JSON; zero fields take the
// defaults named beside them.
type Config struct {
	// Admin is the listen address of the admin API, such as
	// "127.0.0.1:9901"; empty means no admin API.
	Admin string `json:"admin,omitempty"`
	// Pools are the backend pools, by unique name.
	Pools []PoolConfig `json:"pools"`
	// Frontends are the listeners.
	Frontends []FrontendConfig `json:"frontends"`
	// Timeouts bound every side of a connection.
	Timeouts Timeouts `json:"timeouts,omitzero"`
}

// Balance names a way of choosing a backend.
type Balance string

// The balancing policies.
const (
	// RoundRobin takes the backends in turn (the default).
	RoundRobin Balance = "round-robin"
	// LeastConn takes the backend with the fewest requests or connections
	// in flight, as nginx's least_conn and haproxy's leastconn do.
	LeastConn Balance = "least-conn"
)

// PoolConfig describes a pool of backends.
type PoolConfig struct {
	// Name names the pool for frontends and the admin API.
	Name string `json:"name"`
	// Balance is RoundRobin (default) or LeastConn.
	Balance Balance `json:"balance,omitempty"`
	// Backends are HOST:PORT addresses; the list may be empty at first.
	Backends []string `json:"backends"`
	// Health, if set, checks every backend actively.
	Health *HealthCheck `json:"health,omitempty"`
	// MaxFails failed attempts in a row take a backend out for
	// FailTimeout (passive detection; nginx's max_fails, fail_timeout).
	// Defaults: 3 and 10s.
	MaxFails    int      `json:"max_fails,omitempty"`
	FailTimeout Duration `json:"fail_timeout,omitzero"`
	// DrainTimeout is how long a removed backend's open TCP connections
	// may go on before they are closed; default 30s.
	DrainTimeout Duration `json:"drain_timeout,omitzero"`
}

// HealthCheck is an active health check, run against every backend of
// a pool every Interval.
type HealthCheck struct {
	// Path, if set, is fetched with GET (a 2xx or 3xx answer passes);
	// otherwise a TCP connect passes.
	Path string `json:"path,omitempty"`
	// Interval between checks (default 2s) and Timeout of one (default
	// 1s, at most Interval).
	Interval Duration `json:"interval,omitzero"`
	Timeout  Duration `json:"timeout,omitzero"`
	// Rise passes in a row bring a backend back (default 2); Fall
	// failures in a row take it out (default 3).
	Rise int `json:"rise,omitempty"`
	Fall int `json:"fall,omitempty"`
}

// Mode is a frontend's protocol.
type Mode string

// The frontend modes.
const (
	// HTTP proxies requests (layer 7), routed by Host and path.
	HTTP Mode = "http"
	// TCP proxies connections (layer 4) to one pool.
	TCP Mode = "tcp"
)

// FrontendConfig describes one listener.
type FrontendConfig struct {
	// Name names the frontend in logs; Listen is its HOST:PORT.
	Name   string `json:"name"`
	Listen string `json:"listen"`
	// Mode is HTTP (default) or TCP.
	Mode Mode `json:"mode,omitempty"`
	// Pool is where a TCP frontend sends connections, and where an HTTP
	// frontend sends requests that match no route. An HTTP frontend
	// without a pool answers those with 404 Not Found.
	Pool string `json:"pool,omitempty"`
	// Routes route HTTP requests; the most specific match wins. An HTTP
	// frontend may start with none and be given some by
	// Server.SetRoutes.
	Routes []Route `json:"routes,omitempty"`
	// TLS, if set, makes an HTTP frontend an HTTPS one: it terminates
	// TLS with this configuration (its Certificates, or GetCertificate
	// to choose by SNI), then routes as HTTP and tells the backends
	// X-Forwarded-Proto: https. ALPN offers http/1.1, never h2. Set
	// through the Go API only; JSON has no certificates.
	TLS *tls.Config `json:"-"`
}

// Route sends HTTP requests for Host (any host if empty; "*.example.com"
// for subdomains) whose path starts with PathPrefix (default "/") to
// Pool.
type Route struct {
	Host       string `json:"host,omitempty"`
	PathPrefix string `json:"path_prefix,omitempty"`
	Pool       string `json:"pool"`
	// Headers are fields added to every response the route's backends
	// send, such as Strict-Transport-Security (HSTS, RFC 6797) on an
	// HTTPS frontend. A backend's own fields of the same names are
	// replaced. Answers the proxy makes itself (502, 503) get none.
	Headers map[string]string `json:"headers,omitempty"`
}

// Timeouts bound the proxy's waits. Zero fields take the defaults.
type Timeouts struct {
	// Connect bounds dialing a backend (default 5s).
	Connect Duration `json:"connect,omitzero"`
	// ClientHeader bounds reading a request's headers (default 10s).
	ClientHeader Duration `json:"client_header,omitzero"`
	// BackendHeader bounds waiting for a response's headers (default 60s).
	BackendHeader Duration `json:"backend_header,omitzero"`
	// Idle closes keep-alive and TCP connections idle this long (default
	// 2m).
	Idle Duration `json:"idle,omitzero"`
}

// Duration is a time.Duration written in JSON as a string such as "1.5s".
type Duration time.Duration

// MarshalJSON writes d as a string such as "1.5s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a string such as "500ms"; negative values are
// refused.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration %s: want a string such as \"2s\"", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("duration %q: want a positive value such as \"2s\"", s)
	}
	*d = Duration(v)
	return nil
}

// Parse reads a JSON configuration, refusing unknown fields, and checks
// it with Validate. Errors name the field at fault, such as
// "pools[1].backends[0]".
func Parse(data []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("%w config: %w", ErrInvalid, err)
	}
	if dec.More() {
		return Config{}, fmt.Errorf("%w config: data after the JSON object", ErrInvalid)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// CheckAddr checks a HOST:PORT address: a host (name or IP, possibly
// empty for a listen address) and a port of 0 to 65535 (0 only if
// listen).
func CheckAddr(addr string, listen bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w address %q: want HOST:PORT", ErrInvalid, addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || (n == 0 && !listen) {
		return fmt.Errorf("%w address %q: port must be 1 to 65535", ErrInvalid, addr)
	}
	if (host == "" && !listen) || strings.ContainsAny(host, " /?#@") {
		return fmt.Errorf("%w address %q: bad host", ErrInvalid, addr)
	}
	return nil
}
