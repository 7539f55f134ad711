package certs_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/certs"
	"shibafu.dev/phase8-paas/certs/certstest"
)

// front is what stands in for the router in these tests: an HTTP
// listener that sends every request to the Manager's challenge
// responder, and a TLS listener with the Manager's TLSConfig.
type front struct {
	http, tls string
}

// startFront serves the Manager *m points to, which may be set later.
func startFront(t *testing.T, m **certs.Manager) front {
	t.Helper()
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*m).ServeHTTP(w, r)
	})}
	go hs.Serve(hl)
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg := (&certs.Manager{}).TLSConfig()
	cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		return (*m).GetCertificate(hello)
	}
	ts := &http.Server{Handler: http.NotFoundHandler(), TLSConfig: cfg}
	go ts.ServeTLS(tl, "", "")
	t.Cleanup(func() { hs.Close(); ts.Close() })
	return front{http: hl.Addr().String(), tls: tl.Addr().String()}
}

// newManager returns a Manager of pebble p, not started.
func newManager(t *testing.T, dir string, p *certstest.Pebble) *certs.Manager {
	t.Helper()
	roots := x509.NewCertPool()
	data, err := os.ReadFile(p.CAFile)
	require.NoError(t, err)
	roots.AppendCertsFromPEM(data)
	return &certs.Manager{Dir: dir, Domain: "shibafu.localhost", DirectoryURL: p.Directory,
		CARoots: roots, Retry: time.Hour}
}

// waitStatus waits for name's status to leave pending.
func waitStatus(t *testing.T, m *certs.Manager, name string) api.Domain {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		d := m.Status(name)
		if d.Status != api.CertPending || time.Now().After(deadline) {
			return d
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// handshake connects to addr with SNI name, trusting roots, and returns
// the certificate presented.
func handshake(t *testing.T, addr, name string, roots *x509.CertPool) *x509.Certificate {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: name, RootCAs: roots})
	require.NoError(t, err)
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0]
}

// TestManagerPebble obtains certificates from a real Pebble through both
// challenge types, reports a challenge that cannot be answered, and
// reuses what it stored after a restart.
func TestManagerPebble(t *testing.T) {
	for _, kind := range []string{certs.HTTP01, certs.TLSALPN01} {
		t.Run(kind, func(t *testing.T) {
			testIssue(t, kind)
		})
	}
}

func testIssue(t *testing.T, kind string) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The front's ports are known only once it listens, and pebble's
	// ports only once it is configured: start the front with a Manager
	// first, then pebble, then the Manager.
	var m *certs.Manager
	f := startFront(t, &m)
	p := certstest.StartPebble(t, certstest.Port(t, f.http), certstest.Port(t, f.tls))
	m = newManager(t, dir, p)
	m.Challenge = kind
	require.NoError(t, m.Start(ctx))

	start := time.Now()
	m.SetNames([]string{"www.example.test"})
	d := waitStatus(t, m, "www.example.test")
	require.Equal(t, api.CertIssued, d.Status, "%+v", d)
	t.Logf("%s: issued in %v", kind, time.Since(start).Round(time.Millisecond))
	assert.True(t, d.NotAfter.After(time.Now()))
	assert.NotEmpty(t, d.Serial)

	leaf := handshake(t, f.tls, "www.example.test", p.Roots(t))
	assert.Equal(t, []string{"www.example.test"}, leaf.DNSNames)
	key, err := os.Stat(filepath.Join(dir, "live", "www.example.test", "key.pem"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), key.Mode().Perm())

	// Another name falls back to the self-signed certificate.
	c, err := tls.Dial("tcp", f.tls, &tls.Config{ServerName: "a.shibafu.localhost",
		InsecureSkipVerify: true})
	require.NoError(t, err)
	fallback := c.ConnectionState().PeerCertificates[0]
	assert.Equal(t, "*.shibafu.localhost", fallback.Subject.CommonName)
	c.Close()

	// A restarted Manager serves the stored certificate, with no order.
	cancel()
	again := newManager(t, dir, p)
	require.NoError(t, again.Start(context.Background()))
	again.SetNames([]string{"www.example.test"})
	assert.Equal(t, d.Serial, again.Status("www.example.test").Serial)
}

// TestManagerChallengeFails checks that a name whose challenge the CA
// cannot reach is reported failed, with the ACME problem type.
func TestManagerChallengeFails(t *testing.T) {
	var m *certs.Manager
	f := startFront(t, &m)
	p := certstest.StartPebble(t, certstest.Port(t, f.http), certstest.Port(t, f.tls))
	p.DNS.Set("unreachable.example.test", net.IPv4(127, 0, 0, 2))
	m = newManager(t, t.TempDir(), p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, m.Start(ctx))

	m.SetNames([]string{"unreachable.example.test"})
	d := waitStatus(t, m, "unreachable.example.test")
	assert.Equal(t, api.CertFailed, d.Status)
	assert.Equal(t, "urn:ietf:params:acme:error:connection", d.Problem, "%s", d.Error)
	assert.True(t, d.Next.After(time.Now().Add(50*time.Minute)), "retried after a backoff")
	t.Logf("error: %s", d.Error)
}

// TestManagerRenews asks pebble for certificates valid for seconds and
// checks that the Manager renews them before they expire.
func TestManagerRenews(t *testing.T) {
	var m *certs.Manager
	f := startFront(t, &m)
	p := certstest.StartPebble(t, certstest.Port(t, f.http), certstest.Port(t, f.tls))
	m = newManager(t, t.TempDir(), p)
	m.Lifetime = 6 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, m.Start(ctx))

	m.SetNames([]string{"short.example.test"})
	first := waitStatus(t, m, "short.example.test")
	require.Equal(t, api.CertIssued, first.Status, "%+v", first)
	t.Logf("valid until %v, renewal at %v", first.NotAfter, first.Next)
	require.Less(t, time.Until(first.NotAfter), time.Minute, "pebble honoured notAfter")

	deadline := time.Now().Add(20 * time.Second)
	for m.Status("short.example.test").Serial == first.Serial && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	second := m.Status("short.example.test")
	assert.NotEqual(t, first.Serial, second.Serial, "renewed")
	assert.True(t, second.NotAfter.After(first.NotAfter))
}
