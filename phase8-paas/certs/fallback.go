package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// fallbackLife is how long the self-signed certificate is valid; it is
// made again when less than a third of that is left.
const fallbackLife = 365 * 24 * time.Hour

// loadFallback returns the self-signed certificate for DOMAIN and
// *.DOMAIN kept in dir, making a new one if there is none, if it is for
// another domain, or if it expires within a third of its lifetime.
func loadFallback(dir, domain string) (*tls.Certificate, error) {
	cert, err := loadPair(dir)
	if err == nil && slices.Contains(cert.Leaf.DNSNames, "*."+domain) &&
		time.Until(cert.Leaf.NotAfter) > fallbackLife/3 {
		return cert, nil
	}
	return makeFallback(dir, domain)
}

// makeFallback makes and stores a self-signed certificate for DOMAIN and
// *.DOMAIN. It is its own issuer: no client trusts it unless told to.
func makeFallback(dir, domain string) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make fallback certificate: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("make fallback certificate: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "*." + domain, Organization: []string{"Shibafu"}},
		DNSNames:     []string{"*." + domain, domain},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(fallbackLife),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("make fallback certificate: %w", err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store fallback certificate: %w", err)
	}
	if err := writeFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		return nil, fmt.Errorf("store fallback certificate: %w", err)
	}
	if err := writeFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644); err != nil {
		return nil, fmt.Errorf("store fallback certificate: %w", err)
	}
	return loadPair(dir)
}
