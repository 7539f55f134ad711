package proxy

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Validate checks c as a whole: unique names, well-formed addresses,
// frontends that name existing pools, sane health checks. It does not
// touch the network.
func (c *Config) Validate() error {
	if c.Admin != "" {
		if err := CheckAddr(c.Admin, true); err != nil {
			return fmt.Errorf("admin: %w", err)
		}
	}
	pools := map[string]bool{}
	for i, p := range c.Pools {
		if err := p.validate(); err != nil {
			return fmt.Errorf("pools[%d]: %w", i, err)
		}
		if pools[p.Name] {
			return fmt.Errorf("pools[%d]: %w: pool %q is defined twice", i, ErrInvalid, p.Name)
		}
		pools[p.Name] = true
	}
	if len(c.Frontends) == 0 {
		return fmt.Errorf("%w config: no frontends", ErrInvalid)
	}
	// Port 0 asks the kernel for any free port, so it may come twice.
	names, listens := map[string]bool{}, map[string]bool{}
	if c.Admin != "" && !strings.HasSuffix(c.Admin, ":0") {
		listens[c.Admin] = true
	}
	for i, f := range c.Frontends {
		if err := f.validate(pools); err != nil {
			return fmt.Errorf("frontends[%d]: %w", i, err)
		}
		if names[f.Name] || listens[f.Listen] {
			return fmt.Errorf("frontends[%d]: %w: name or listen address used twice",
				i, ErrInvalid)
		}
		names[f.Name] = true
		listens[f.Listen] = !strings.HasSuffix(f.Listen, ":0")
	}
	return nil
}

func (p PoolConfig) validate() error {
	if err := checkName(p.Name); err != nil {
		return err
	}
	switch p.Balance {
	case "", RoundRobin, LeastConn:
	default:
		return fmt.Errorf("%w balance %q: want %s or %s", ErrInvalid, p.Balance,
			RoundRobin, LeastConn)
	}
	for i, b := range p.Backends {
		if err := CheckAddr(b, false); err != nil {
			return fmt.Errorf("backends[%d]: %w", i, err)
		}
	}
	if p.MaxFails < 0 || p.MaxFails > 1000 {
		return fmt.Errorf("%w max_fails %d: want 0 to 1000", ErrInvalid, p.MaxFails)
	}
	if p.Health != nil {
		if err := p.Health.validate(); err != nil {
			return fmt.Errorf("health: %w", err)
		}
	}
	return nil
}

func (h HealthCheck) validate() error {
	if h.Path != "" && !strings.HasPrefix(h.Path, "/") {
		return fmt.Errorf("%w path %q: must start with /", ErrInvalid, h.Path)
	}
	if h.Rise < 0 || h.Fall < 0 || h.Rise > 100 || h.Fall > 100 {
		return fmt.Errorf("%w rise %d, fall %d: want 1 to 100", ErrInvalid, h.Rise, h.Fall)
	}
	h = h.withDefaults()
	if h.Interval < Duration(10*time.Millisecond) || h.Timeout > h.Interval {
		return fmt.Errorf("%w interval %s, timeout %s: want an interval of at least 10ms"+
			" and a timeout no longer", ErrInvalid, time.Duration(h.Interval),
			time.Duration(h.Timeout))
	}
	return nil
}

func (f FrontendConfig) validate(pools map[string]bool) error {
	if err := checkName(f.Name); err != nil {
		return err
	}
	if err := CheckAddr(f.Listen, true); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if f.Pool != "" && !pools[f.Pool] {
		return fmt.Errorf("%w pool %q: no such pool", ErrInvalid, f.Pool)
	}
	// An HTTP frontend may have no pool and no routes: it answers 404
	// until Server.SetRoutes gives it some, so a platform can start its
	// router empty.
	switch f.Mode {
	case "", HTTP:
		if f.TLS != nil && f.TLS.Certificates == nil && f.TLS.GetCertificate == nil &&
			f.TLS.GetConfigForClient == nil {
			return fmt.Errorf("%w tls: no certificate, GetCertificate or"+
				" GetConfigForClient", ErrInvalid)
		}
	case TCP:
		if f.Pool == "" || len(f.Routes) > 0 || f.TLS != nil {
			return fmt.Errorf("%w: a tcp frontend needs a pool, and no routes or tls",
				ErrInvalid)
		}
	default:
		return fmt.Errorf("%w mode %q: want http or tcp", ErrInvalid, f.Mode)
	}
	for i, r := range f.Routes {
		if err := r.validate(pools); err != nil {
			return fmt.Errorf("routes[%d]: %w", i, err)
		}
	}
	return nil
}

func (r Route) validate(pools map[string]bool) error {
	if !pools[r.Pool] {
		return fmt.Errorf("%w pool %q: no such pool", ErrInvalid, r.Pool)
	}
	if r.PathPrefix != "" && !strings.HasPrefix(r.PathPrefix, "/") {
		return fmt.Errorf("%w path_prefix %q: must start with /", ErrInvalid, r.PathPrefix)
	}
	host := strings.TrimPrefix(r.Host, "*.")
	if strings.ContainsAny(host, " /:*?#@") {
		return fmt.Errorf("%w host %q: want a name such as app.example.com", ErrInvalid, r.Host)
	}
	for name, value := range r.Headers {
		if !fieldName(name) || strings.ContainsAny(value, "\r\n\x00") || hopByHop(name) {
			return fmt.Errorf("%w header %q: want a valid end-to-end field", ErrInvalid, name)
		}
	}
	return nil
}

// fieldName accepts a header field name of letters, digits and '-'.
func fieldName(name string) bool {
	ok := name != ""
	for _, c := range name {
		ok = ok && (c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' ||
			c >= 'A' && c <= 'Z')
	}
	return ok
}

// hopByHop reports whether a field belongs to one connection (RFC 9110
// section 7.6.1) or to the framing of a message, which a route may not
// set: the proxy writes those itself.
func hopByHop(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer",
		"Transfer-Encoding", "Upgrade", "Content-Length":
		return true
	}
	return false
}

// checkName accepts 1 to 64 letters, digits, '.', '_' or '-'.
func checkName(name string) error {
	ok := name != "" && len(name) <= 64
	for _, c := range name {
		ok = ok && (c == '.' || c == '_' || c == '-' || c >= '0' && c <= '9' ||
			c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
	}
	if !ok {
		return fmt.Errorf("%w name %q: want 1 to 64 letters, digits, '.', '_' or '-'",
			ErrInvalid, name)
	}
	return nil
}

// The defaults of zero fields.
const (
	defaultMaxFails      = 3
	defaultFailTimeout   = 10 * time.Second
	defaultDrainTimeout  = 30 * time.Second
	defaultInterval      = 2 * time.Second
	defaultCheckTimeout  = time.Second
	defaultRise          = 2
	defaultFall          = 3
	defaultConnect       = 5 * time.Second
	defaultClientHeader  = 10 * time.Second
	defaultBackendHeader = 60 * time.Second
	defaultIdle          = 2 * time.Minute
)

func (h HealthCheck) withDefaults() HealthCheck {
	h.Interval = or(h.Interval, defaultInterval)
	h.Timeout = or(h.Timeout, min(defaultCheckTimeout, time.Duration(h.Interval)))
	if h.Rise == 0 {
		h.Rise = defaultRise
	}
	if h.Fall == 0 {
		h.Fall = defaultFall
	}
	return h
}

func (p PoolConfig) withDefaults() PoolConfig {
	if p.Balance == "" {
		p.Balance = RoundRobin
	}
	if p.MaxFails == 0 {
		p.MaxFails = defaultMaxFails
	}
	p.FailTimeout = or(p.FailTimeout, defaultFailTimeout)
	p.DrainTimeout = or(p.DrainTimeout, defaultDrainTimeout)
	if p.Health != nil {
		h := p.Health.withDefaults()
		p.Health = &h
	}
	return p
}

func (t Timeouts) withDefaults() Timeouts {
	t.Connect = or(t.Connect, defaultConnect)
	t.ClientHeader = or(t.ClientHeader, defaultClientHeader)
	t.BackendHeader = or(t.BackendHeader, defaultBackendHeader)
	t.Idle = or(t.Idle, defaultIdle)
	return t
}

// or returns d, or def if d is zero.
func or(d Duration, def time.Duration) Duration {
	if d == 0 {
		return Duration(def)
	}
	return d
}
