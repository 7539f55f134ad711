package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/certs/certstest"
)

// acmeLab is a lab whose PaaS gets certificates from a Pebble of its
// own. Pebble validates challenges on the router's ports, so those are
// chosen first and given to both.
type acmeLab struct {
	*lab
	pebble *certstest.Pebble
	roots  *x509.CertPool // Pebble's issuing root, for the clients
}

func newACMELab(t *testing.T, flags ...string) *acmeLab {
	t.Helper()
	httpAddr, httpsAddr := freePort(t), freePort(t)
	p := certstest.StartPebble(t, certstest.Port(t, httpAddr), certstest.Port(t, httpsAddr))
	l := newLab(t, append([]string{"--router", httpAddr, "--router-tls", httpsAddr,
		"--acme-directory", p.Directory, "--acme-ca-roots", p.CAFile,
		"--acme-email", "admin@example.test"}, flags...)...)
	l.router, l.https = httpAddr, httpsAddr
	return &acmeLab{lab: l, pebble: p, roots: p.Roots(t)}
}

// domains returns the app's domains as the CLI gives them in JSON.
func (l *acmeLab) domains(app string) map[string]api.Domain {
	l.t.Helper()
	var ds []api.Domain
	require.NoError(l.t, json.Unmarshal([]byte(l.ok("--json", "domains", "-a", app)), &ds))
	byName := map[string]api.Domain{}
	for _, d := range ds {
		byName[d.Name] = d
	}
	return byName
}

// waitCert waits until name's certificate is no longer pending, and
// returns its state.
func (l *acmeLab) waitCert(app, name string) api.Domain {
	l.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		d := l.domains(app)[name]
		if d.Status != api.CertPending || time.Now().After(deadline) {
			return d
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// httpsClient reaches the router's HTTPS port whatever the URL's host,
// trusting roots; each request makes a new connection, so a new
// handshake that checks the certificate served at that moment.
func (l *acmeLab) httpsClient(roots *x509.CertPool, insecure bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, l.https)
		},
		TLSClientConfig:   &tls.Config{RootCAs: roots, InsecureSkipVerify: insecure},
		DisableKeepAlives: true,
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
}

// fetch GETs url with client and returns the answer, its body read.
func fetch(client *http.Client, url string) (*http.Response, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

// peer returns the certificate the router's HTTPS port shows for name.
func (l *acmeLab) peer(name string) *x509.Certificate {
	l.t.Helper()
	c, err := tls.Dial("tcp", l.https, &tls.Config{ServerName: name, RootCAs: l.roots})
	require.NoError(l.t, err, "handshake for %s", name)
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0]
}

// TestTLSACME gets certificates from Pebble for the custom domains of
// two apps, serves each by SNI, reports a challenge that cannot be
// answered, serves default hosts under the self-signed certificate, and
// redirects and sends HSTS when an app asks.
func TestTLSACME(t *testing.T) {
	testkit.RequireTool(t, "curl")
	l := newACMELab(t)
	l.ok("apps", "create", "web")
	l.ok("apps", "create", "other")
	l.ok("deploy", "-a", "web", l.example("go-web"))

	start := time.Now()
	names := map[string][]string{"web": {"www.example.test", "api.example.test"},
		"other": {"shop.example.test", "blog.example.test"}}
	for app, ds := range names {
		for _, d := range ds {
			l.ok("domains", "add", "-a", app, d)
		}
	}
	serials := map[string]string{}
	for app, ds := range names {
		for _, name := range ds {
			d := l.waitCert(app, name)
			require.Equal(t, api.CertIssued, d.Status, "%s: %+v", name, d)
			assert.Contains(t, d.Issuer, "Pebble")
			serials[d.Serial] = name
		}
	}
	t.Logf("4 certificates issued in %v", time.Since(start).Round(time.Millisecond))
	assert.Len(t, serials, 4, "a certificate of its own for each name")

	t.Run("SNI", func(t *testing.T) {
		for _, ds := range names {
			for _, name := range ds {
				leaf := l.peer(name)
				assert.Equal(t, []string{name}, leaf.DNSNames)
			}
		}
	})

	t.Run("curl", func(t *testing.T) {
		rootFile := filepath.Join(t.TempDir(), "pebble-root.pem")
		writeRoots(t, l, rootFile)
		_, port, _ := net.SplitHostPort(l.https)
		out, err := exec.Command("curl", "-sS", "--fail", "--cacert", rootFile, "--resolve",
			"www.example.test:"+port+":127.0.0.1", "https://www.example.test:"+port+"/",
		).CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Contains(t, string(out), "Hello")
	})

	t.Run("self-signed default host", func(t *testing.T) {
		resp, body, err := fetch(l.httpsClient(nil, true), "https://web.shibafu.localhost/")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Equal(t, "*.shibafu.localhost", resp.TLS.PeerCertificates[0].Subject.CommonName)
		assert.Equal(t, api.CertSelfSigned, l.domains("web")["web.shibafu.localhost"].Status)
	})

	t.Run("challenge fails", func(t *testing.T) {
		l.pebble.DNS.Set("down.example.test", net.IPv4(127, 0, 0, 2))
		l.ok("domains", "add", "-a", "web", "down.example.test")
		d := l.waitCert("web", "down.example.test")
		assert.Equal(t, api.CertFailed, d.Status)
		assert.Equal(t, "urn:ietf:params:acme:error:connection", d.Problem, d.Error)
		out := l.ok("domains", "-a", "web")
		t.Logf("domains -a web:\n%s", out)
		assert.Contains(t, out, "urn:ietf:params:acme:error:connection")

		// HTTP keeps serving the name, and HTTPS shows the fallback.
		req, err := http.NewRequest(http.MethodGet, "http://"+l.router+"/", nil)
		require.NoError(t, err)
		req.Host = "down.example.test"
		resp, err := appClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})

	t.Run("redirect and HSTS", func(t *testing.T) {
		client := l.httpsClient(l.roots, false)
		resp, _, err := fetch(client, "https://www.example.test/")
		require.NoError(t, err)
		assert.Empty(t, resp.Header.Get("Strict-Transport-Security"), "off by default")

		assert.Contains(t, l.ok("apps", "tls", "-a", "web", "--redirect", "--hsts"),
			"redirect on, hsts on")
		resp, _, err = fetch(client, "https://www.example.test/")
		require.NoError(t, err)
		assert.Equal(t, "max-age=31536000", resp.Header.Get("Strict-Transport-Security"))

		req, err := http.NewRequest(http.MethodGet, "http://"+l.router+"/x?y=1", nil)
		require.NoError(t, err)
		req.Host = "www.example.test"
		plain := &http.Client{Timeout: 5 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			}}
		resp, err = plain.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		_, port, _ := net.SplitHostPort(l.https)
		assert.Equal(t, http.StatusPermanentRedirect, resp.StatusCode)
		assert.Equal(t, "https://www.example.test:"+port+"/x?y=1", resp.Header.Get("Location"))

		// Challenges still reach the PaaS, not the redirect.
		req.URL.Path = "/.well-known/acme-challenge/unknown"
		resp, err = plain.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)

		// The other app is untouched.
		status, _, err := l.get("other", "/")
		require.NoError(t, err)
		assert.NotEqual(t, http.StatusPermanentRedirect, status)
	})
}

// writeRoots writes Pebble's issuing root as PEM, for curl.
func writeRoots(t *testing.T, l *acmeLab, path string) {
	t.Helper()
	c, err := tls.Dial("tcp", l.https, &tls.Config{ServerName: "www.example.test",
		RootCAs: l.roots})
	require.NoError(t, err)
	defer c.Close()
	chains := c.ConnectionState().VerifiedChains
	require.NotEmpty(t, chains)
	root := chains[0][len(chains[0])-1]
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw})
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

// TestTLSRenewalUnderLoad has Pebble issue certificates valid for a
// minute, which the PaaS renews at two thirds of their life, and checks
// that HTTPS requests, each with a new handshake, never fail meanwhile.
func TestTLSRenewalUnderLoad(t *testing.T) {
	l := newACMELab(t, "--acme-cert-lifetime", "60s")
	l.ok("apps", "create", "web")
	l.ok("deploy", "-a", "web", l.example("go-web"))
	l.ok("domains", "add", "-a", "web", "www.example.test")
	first := l.waitCert("web", "www.example.test")
	require.Equal(t, api.CertIssued, first.Status, "%+v", first)
	t.Logf("first certificate: valid until %s, renewal at %s", first.NotAfter, first.Next)

	client := l.httpsClient(l.roots, false)
	var mu sync.Mutex
	var total int
	var failures []string
	seen := map[string]bool{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				resp, body, err := fetch(client, "https://www.example.test/")
				mu.Lock()
				total++
				switch {
				case err != nil:
					failures = append(failures, err.Error())
				case resp.StatusCode != http.StatusOK:
					failures = append(failures, fmt.Sprintf("%d %s", resp.StatusCode, body))
				default:
					seen[resp.TLS.PeerCertificates[0].SerialNumber.Text(16)] = true
				}
				mu.Unlock()
			}
		})
	}

	deadline := time.Now().Add(90 * time.Second)
	var second api.Domain
	for time.Now().Before(deadline) {
		second = l.domains("web")["www.example.test"]
		if second.Serial != first.Serial && second.Status == api.CertIssued {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // some requests on the new certificate
	cancel()
	wg.Wait()

	require.NotEqual(t, first.Serial, second.Serial, "renewed: %+v", second)
	t.Logf("renewed: %s -> %s; %d HTTPS requests, %d failed, serials seen %d",
		first.Serial, second.Serial, total, len(failures), len(seen))
	assert.Empty(t, failures)
	assert.True(t, seen[first.Serial] && seen[second.Serial], "both certificates served")
	assert.Greater(t, total, 100)
}
