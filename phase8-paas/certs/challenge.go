package certs

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/go-acme/lego/v5/challenge"
	"github.com/go-acme/lego/v5/challenge/tlsalpn01"
	"github.com/go-acme/lego/v5/lego"
)

// The challenge types a Manager can answer (RFC 8555 section 8).
const (
	// HTTP01: the CA fetches http://NAME/.well-known/acme-challenge/TOKEN
	// on port 80, the router's HTTP port (section 8.3).
	HTTP01 = "http-01"
	// TLSALPN01: the CA opens TLS to NAME on port 443, the router's
	// HTTPS port, offering only the ALPN protocol "acme-tls/1", and
	// expects a certificate made for the challenge (RFC 8737).
	TLSALPN01 = "tls-alpn-01"
)

// ChallengePath is the path prefix of HTTP-01 challenges, which the
// router sends to the Manager's ServeHTTP for every host.
const ChallengePath = "/.well-known/acme-challenge/"

// challenges holds the answers to the challenges under way: lego
// Presents them, the CA fetches them, lego CleansUp. One value serves
// both types, as lego's challenge.Provider.
type challenges struct {
	mu    sync.Mutex
	http  map[string]string           // HTTP-01: token -> key authorization
	hosts map[string]string           // HTTP-01: token -> the name it is for
	alpn  map[string]*tls.Certificate // TLS-ALPN-01: name -> challenge cert
	kind  string                      // HTTP01 or TLSALPN01
}

var _ challenge.Provider = (*challenges)(nil)

// Present makes the answer to a challenge available.
func (c *challenges) Present(ctx context.Context, domain, token, keyAuth string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kind == TLSALPN01 {
		cert, err := tlsalpn01.ChallengeCert(domain, keyAuth)
		if err != nil {
			return fmt.Errorf("tls-alpn-01 certificate for %s: %w", domain, err)
		}
		c.alpn[domain] = cert
		return nil
	}
	c.http[token], c.hosts[token] = keyAuth, domain
	return nil
}

// CleanUp forgets the answer once the CA has checked it.
func (c *challenges) CleanUp(ctx context.Context, domain, token, keyAuth string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.http, token)
	delete(c.hosts, token)
	delete(c.alpn, domain)
	return nil
}

// ServeHTTP answers an HTTP-01 challenge: GET
// /.well-known/acme-challenge/TOKEN for the name the token was issued
// for answers the key authorization, as text.
func (c *challenges) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.URL.Path, ChallengePath)
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	c.mu.Lock()
	keyAuth, known := c.http[token]
	known = known && ok && strings.EqualFold(c.hosts[token], host)
	c.mu.Unlock()
	if !known {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, keyAuth)
}

// certificate returns the TLS-ALPN-01 certificate of a handshake that
// offers "acme-tls/1", or nil for any other handshake.
func (c *challenges) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if !slices.Contains(hello.SupportedProtos, tlsalpn01.ACMETLS1Protocol) {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cert, ok := c.alpn[strings.ToLower(hello.ServerName)]; ok {
		return cert, nil
	}
	return nil, fmt.Errorf("no tls-alpn-01 challenge for %q", hello.ServerName)
}

// setSolvers tells lego which challenge type to answer, and how.
func (m *Manager) setSolvers(client *lego.Client) error {
	if m.challenges.kind == TLSALPN01 {
		return client.Challenge.SetTLSALPN01Provider(&m.challenges)
	}
	return client.Challenge.SetHTTP01Provider(&m.challenges)
}
