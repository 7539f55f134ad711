package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-acme/lego/v5/challenge/tlsalpn01"
	"github.com/go-acme/lego/v5/lego"

	"shibafu.dev/phase8-paas/api"
)

// Defaults of a Manager's zero fields.
const (
	DefaultRetry        = time.Minute
	DefaultOrderTimeout = 5 * time.Minute
)

// Manager obtains, stores, renews and serves certificates. Set the
// fields, call Start, then use it from any goroutine: SetNames tells it
// the names to keep certificates for, GetCertificate chooses one for a
// handshake and ServeHTTP answers HTTP-01 challenges.
type Manager struct {
	// Dir holds the account key and the certificates (ROOT/certs).
	Dir string
	// Domain is the domain of the self-signed fallback certificate,
	// which covers Domain and *.Domain.
	Domain string
	// DirectoryURL is the ACME CA's directory, such as Let's Encrypt's
	// https://acme-v02.api.letsencrypt.org/directory; empty means no
	// ACME: every name gets the fallback certificate.
	DirectoryURL string
	// Email is the account's contact, where the CA sends expiry
	// warnings; it may be empty.
	Email string
	// CARoots are the roots trusted for the CA's own HTTPS API; nil
	// means the system's (Pebble's test CA must be given).
	CARoots *x509.CertPool
	// Challenge is the challenge type to answer: HTTP01 (the default)
	// or TLSALPN01.
	Challenge string
	// RenewBefore is how long before expiry to renew, DefaultRenewBefore
	// if zero; certificates shorter-lived than three times this are
	// renewed at two thirds of their lifetime (see RenewAt).
	RenewBefore time.Duration
	// Lifetime, if set, asks the CA for certificates valid this long
	// (the order's notAfter, RFC 8555 section 7.4); most CAs, Let's
	// Encrypt included, refuse it. For tests of renewal.
	Lifetime time.Duration
	// Retry is the wait after a first failed order, doubled after each
	// further one up to a day; zero means DefaultRetry.
	Retry time.Duration
	// Logger gets a line per order; nil means slog.Default().
	Logger *slog.Logger

	store      dirStore
	challenges challenges
	fallback   *tls.Certificate
	wake       chan struct{}

	mu       sync.Mutex
	names    map[string]*entry // the names to keep certificates for
	ordering map[string]bool   // names with an order under way
	client   *lego.Client      // once registered
}

// entry is what the Manager knows of one name.
type entry struct {
	cert     *tls.Certificate // the one that serves; nil if none yet
	status   string           // an api.Cert constant
	next     time.Time        // when to order: renewal, or retry
	failures int              // failed orders in a row
	problem  string           // ACME problem type of the last failure
	err      string
}

// Start loads (or makes) the fallback certificate and, with ACME on,
// runs the renewal loop until ctx ends.
func (m *Manager) Start(ctx context.Context) error {
	if m.Domain == "" {
		return errors.New("certs: no domain for the fallback certificate")
	}
	if m.Challenge != "" && m.Challenge != HTTP01 && m.Challenge != TLSALPN01 {
		return fmt.Errorf("certs: challenge %q: want %s or %s", m.Challenge, HTTP01, TLSALPN01)
	}
	m.init()
	fb, err := loadFallback(filepath.Join(m.Dir, "fallback"), m.Domain)
	if err != nil {
		return fmt.Errorf("certs: %w", err)
	}
	m.fallback = fb
	if m.DirectoryURL != "" {
		go m.loop(ctx)
	}
	return nil
}

// init makes the maps, once; SetNames may come before Start.
func (m *Manager) init() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names != nil {
		return
	}
	m.store = dirStore{dir: m.Dir}
	m.names, m.ordering = map[string]*entry{}, map[string]bool{}
	m.wake = make(chan struct{}, 1)
	kind := m.Challenge
	if kind == "" {
		kind = HTTP01
	}
	m.challenges = challenges{kind: kind, http: map[string]string{},
		hosts: map[string]string{}, alpn: map[string]*tls.Certificate{}}
}

// SetNames makes names the whole set of names to keep certificates for.
// A new name gets its stored certificate if there is one, else an
// order soon; a name no longer in the set is no longer served (its
// files stay, as a cache should it come back). It does not wait.
func (m *Manager) SetNames(names []string) {
	m.init()
	m.mu.Lock()
	defer m.mu.Unlock()
	want := map[string]bool{}
	for _, name := range names {
		name = strings.ToLower(name)
		want[name] = true
		if _, ok := m.names[name]; !ok {
			m.names[name] = m.newEntry(name)
		}
	}
	for name := range m.names {
		if !want[name] {
			delete(m.names, name)
		}
	}
	m.poke()
}

// newEntry starts the record of a name: its stored certificate, due for
// renewal when RenewAt says, or an order now. The caller holds m.mu.
func (m *Manager) newEntry(name string) *entry {
	e := &entry{status: api.CertPending, next: time.Now()}
	if m.DirectoryURL == "" {
		e.status = api.CertNone
	}
	cert, err := m.store.load(name)
	if err != nil {
		return e
	}
	e.cert, e.status = cert, api.CertIssued
	if m.DirectoryURL != "" {
		e.next = m.renewAt(cert.Leaf)
	}
	return e
}

// renewAt is when to renew leaf, jitter included.
func (m *Manager) renewAt(leaf *x509.Certificate) time.Time {
	before := m.RenewBefore
	if before == 0 {
		before = DefaultRenewBefore
	}
	life := leaf.NotAfter.Sub(leaf.NotBefore)
	return RenewAt(leaf.NotBefore, leaf.NotAfter, before).Add(-jitter(life))
}

// poke wakes the loop, if it sleeps.
func (m *Manager) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// GetCertificate chooses the certificate of a TLS handshake, for
// tls.Config: a TLS-ALPN-01 challenge certificate if the CA asks for
// one; else the name's own certificate; else the fallback.
func (m *Manager) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if cert, err := m.challenges.certificate(hello); cert != nil || err != nil {
		return cert, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.names[strings.ToLower(hello.ServerName)]; ok && e.cert != nil {
		return e.cert, nil
	}
	return m.fallback, nil
}

// TLSConfig returns the configuration of the router's HTTPS listener:
// certificates by SNI, and "acme-tls/1" among the ALPN protocols so
// that TLS-ALPN-01 challenges can be answered.
func (m *Manager) TLSConfig() *tls.Config {
	return &tls.Config{
		GetCertificate: m.GetCertificate,
		NextProtos:     []string{"http/1.1", tlsalpn01.ACMETLS1Protocol},
		MinVersion:     tls.VersionTLS12,
	}
}

// ServeHTTP answers the CA's HTTP-01 challenges; the router sends it
// every request under ChallengePath.
func (m *Manager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.init()
	m.challenges.ServeHTTP(w, r)
}

// Status describes a name's certificate. A name not managed has status
// api.CertNone.
func (m *Manager) Status(name string) api.Domain {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := api.Domain{Name: name, Status: api.CertNone}
	e, ok := m.names[strings.ToLower(name)]
	if !ok {
		return d
	}
	d.Status, d.Problem, d.Error = e.status, e.problem, e.err
	if m.DirectoryURL != "" {
		d.Next = e.next
	}
	if e.cert != nil {
		leaf := e.cert.Leaf
		d.Issuer, d.NotAfter = leaf.Issuer.CommonName, leaf.NotAfter
		d.Serial = leaf.SerialNumber.Text(16)
	}
	return d
}

// Fallback returns the self-signed certificate for *.Domain.
func (m *Manager) Fallback() *tls.Certificate { return m.fallback }
