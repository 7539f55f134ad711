package proxy_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// selfSigned makes a self-signed certificate for the DNS name host.
func selfSigned(t *testing.T, host string) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf
}

// protoBackend answers "NAME PROTO", PROTO being the X-Forwarded-Proto
// it was sent.
func protoBackend(t *testing.T, name string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s", name, r.Header.Get("X-Forwarded-Proto"))
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// accessLog collects what a Server reports.
type accessLog struct {
	mu   sync.Mutex
	seen []proxy.Access
}

func (l *accessLog) add(a proxy.Access) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, a)
}

// find returns the entry for frontend, host and path, once it came.
func (l *accessLog) find(t *testing.T, frontend, host, path string) proxy.Access {
	t.Helper()
	var found proxy.Access
	eventually(t, 2*time.Second, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, a := range l.seen {
			if a.Frontend == frontend && a.Host == host && a.Path == path {
				found = a
				return true
			}
		}
		return false
	}, "access log entry for "+frontend+" "+host+path)
	return found
}

// tlsProxy runs a proxy with an HTTPS frontend "tls" and a plain one
// "front", both routing a.test to pool a and b.test to pool b. The
// HTTPS frontend picks the certificate of a.test or b.test by SNI. It
// returns the server, a client that trusts both certificates and sends
// every request to the HTTPS frontend, and the access log.
func tlsProxy(t *testing.T) (*proxy.Server, *http.Client, *accessLog, map[string]string) {
	t.Helper()
	backends := map[string]string{"a": protoBackend(t, "a"), "b": protoBackend(t, "b")}
	certs, roots := map[string]*tls.Certificate{}, x509.NewCertPool()
	for _, host := range []string{"a.test", "b.test"} {
		cert, leaf := selfSigned(t, host)
		certs[host] = &cert
		roots.AddCert(leaf)
	}
	routes := []proxy.Route{{Host: "a.test", Pool: "a"}, {Host: "b.test", Pool: "b"}}
	log := &accessLog{}
	s := &proxy.Server{AccessLog: log.add, Config: proxy.Config{
		Pools: []proxy.PoolConfig{{Name: "a", Backends: []string{backends["a"]}},
			{Name: "b", Backends: []string{backends["b"]}}},
		Frontends: []proxy.FrontendConfig{
			{Name: "front", Listen: "127.0.0.1:0", Routes: routes},
			{Name: "tls", Listen: "127.0.0.1:0", Routes: routes, TLS: &tls.Config{
				NextProtos: []string{"h2", "http/1.1"},
				GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
					if c, ok := certs[hello.ServerName]; ok {
						return c, nil
					}
					return nil, fmt.Errorf("no certificate for %q", hello.ServerName)
				},
			}},
		},
	}}
	require.NoError(t, s.Start(context.Background()))

	front := s.Addr("tls").String()
	tr := &http.Transport{
		Proxy:             nil,
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true, // the proxy must still answer in HTTP/1.1
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, front)
		},
	}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, s.Shutdown(ctx))
	})
	return s, &http.Client{Transport: tr, Timeout: 5 * time.Second}, log, backends
}

func TestTLSFrontendPicksCertificateBySNIAndRoutes(t *testing.T) {
	s, tc, _, _ := tlsProxy(t)

	for _, tc2 := range []struct{ host, path, want string }{
		{"a.test", "/", "a https"},
		{"b.test", "/", "b https"},
		{"a.test", "/slow%20path", "a https"}, // the net/http path
		{"b.test", "/slow%20path", "b https"},
	} {
		res, err := tc.Get("https://" + tc2.host + tc2.path)
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, tc2.want, string(body), tc2.host+tc2.path)
		require.NotNil(t, res.TLS)
		assert.Equal(t, []string{tc2.host}, res.TLS.PeerCertificates[0].DNSNames,
			"the certificate of the name asked for (SNI)")
		assert.Equal(t, 1, res.ProtoMajor, "HTTP/1.1, not h2")
	}

	_, err := tc.Get("https://c.test/")
	require.Error(t, err, "no certificate for c.test: the handshake fails")

	status, body, err := getHost(s, "a.test", "/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "a http", body, "the plain frontend says http")
	_, body, err = getHost(s, "a.test", "/slow%20path")
	require.NoError(t, err)
	assert.Equal(t, "a http", body)
}

// TestAccessLogNamesPool checks that each request is reported, with the
// pool and backend it went to, on both paths and both kinds of frontend.
func TestAccessLogNamesPool(t *testing.T) {
	s, tc, log, backends := tlsProxy(t)

	req, err := http.NewRequest("GET", "https://a.test/nowhere", nil)
	require.NoError(t, err)
	req.Host = "unknown.test" // a certificate for a.test, then no route
	for _, url := range []string{"https://a.test/", "https://b.test/slow%20path"} {
		res, err := tc.Get(url)
		require.NoError(t, err)
		res.Body.Close()
	}
	res, err := tc.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	for _, path := range []string{"/", "/slow%20path"} {
		_, _, err := getHost(s, "b.test", path)
		require.NoError(t, err)
	}

	for _, tc := range []struct {
		frontend, host, path, pool string
		status                     int
	}{
		{"tls", "a.test", "/", "a", http.StatusOK},
		{"tls", "b.test", "/slow path", "b", http.StatusOK},
		{"tls", "unknown.test", "/nowhere", "", http.StatusNotFound},
		{"front", "b.test", "/", "b", http.StatusOK},
		{"front", "b.test", "/slow path", "b", http.StatusOK},
	} {
		a := log.find(t, tc.frontend, tc.host, tc.path)
		assert.Equal(t, tc.pool, a.Pool, "%s %s%s", tc.frontend, tc.host, tc.path)
		assert.Equal(t, backends[tc.pool], a.Backend, "%s %s%s", tc.frontend, tc.host, tc.path)
		assert.Equal(t, tc.status, a.Status)
		assert.Equal(t, "GET", a.Method)
		if tc.status == http.StatusOK {
			proto := map[string]string{"tls": "https", "front": "http"}[tc.frontend]
			assert.Equal(t, int64(len(tc.pool+" "+proto)), a.Bytes, "the body's size")
		}
		assert.Positive(t, a.Duration)
	}
}
