package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTLSAPIWantsClientCertificates(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "shibafu test CA")
	ca.issue(t, dir, "server", true)
	ca.issue(t, dir, "client", false)
	ca.writeCert(t, filepath.Join(dir, "ca.pem"))
	rogue := newTestCA(t, "someone else")
	rogue.issue(t, dir, "rogue", false)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))

	l := newLab(t, "--tls-listen", addr, "--tlscacert", filepath.Join(dir, "ca.pem"),
		"--tlscert", filepath.Join(dir, "server.pem"), "--tlskey", filepath.Join(dir,
			"server-key.pem"))
	tcp := func(cert string, args ...string) (string, string, error) {
		flags := []string{"--host", "tcp://" + addr, "--tlscacert", filepath.Join(dir, "ca.pem")}
		if cert != "" {
			flags = append(flags, "--tlscert", filepath.Join(dir, cert+".pem"),
				"--tlskey", filepath.Join(dir, cert+"-key.pem"))
		}
		return l.shIn("", append(flags, args...)...)
	}

	stdout, stderr, err := tcp("client", "run", "-d", "--name", "remote", "busybox",
		"sleep", "300")
	require.NoError(t, err, stderr)
	l.ids = append(l.ids, strings.TrimSpace(stdout))
	l.leaks.Link(l.inspect("remote").Networks[0].HostVeth)
	stdout, stderr, err = tcp("client", "ps", "--format", "{{.Names}}")
	require.NoError(t, err, stderr)
	assert.Equal(t, "remote\n", stdout)

	// exec -i takes the connection over: over TLS too.
	cmd := exec.Command(l.cli, "exec", "-i", "remote", "cat")
	cmd.Env = append(os.Environ(), "SHIBAFU_HOST=tcp://"+addr, "SHIBAFU_CERT_PATH="+dir)
	require.NoError(t, os.Rename(filepath.Join(dir, "client.pem"), filepath.Join(dir,
		"cert.pem")))
	require.NoError(t, os.Rename(filepath.Join(dir, "client-key.pem"), filepath.Join(dir,
		"key.pem")))
	cmd.Stdin = strings.NewReader("over tls\n")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, "over tls\n", string(out), "$SHIBAFU_HOST and $SHIBAFU_CERT_PATH")

	_, stderr, err = tcp("", "ps")
	require.Error(t, err, "a client without a certificate is refused")
	assert.Contains(t, stderr, "certificate required")
	_, stderr, err = tcp("rogue", "ps")
	require.Error(t, err, "a certificate of another CA is refused")
	assert.Contains(t, stderr, "certificate")
	_, stderr, err = l.shIn("", "--host", "tcp://"+addr, "ps")
	require.Error(t, err)
	assert.Contains(t, stderr, "--tlscacert")

	out, err = exec.Command(daemonBinary(t), "--root", filepath.Join(dir, "unused"),
		"--tls-listen", "127.0.0.1:0").CombinedOutput()
	require.Error(t, err, "no TCP without client certificates")
	assert.Contains(t, string(out), "--tls-listen needs --tlscacert, --tlscert and --tlskey")
}

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key, der: der}
}

// issue writes NAME.pem and NAME-key.pem in dir: a server certificate
// for 127.0.0.1, or a client one.
func (ca *testCA) issue(t *testing.T, dir, name string, server bool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	writePEM(t, filepath.Join(dir, name+".pem"), "CERTIFICATE", der)
	writePEM(t, filepath.Join(dir, name+"-key.pem"), "EC PRIVATE KEY", keyDER)
}

func (ca *testCA) writeCert(t *testing.T, path string) {
	t.Helper()
	writePEM(t, path, "CERTIFICATE", ca.der)
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, pem.Encode(&b, &pem.Block{Type: kind, Bytes: der}))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
}
