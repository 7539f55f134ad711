package server

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// TLSConfig is the TLS configuration of the daemon's TCP listener:
// its certificate and key, and the CA whose signature a client's
// certificate must carry (mutual TLS, RFC 8446 section 4.3.2). A client
// without such a certificate is refused during the handshake, before
// any request: on TCP, the certificate takes the place of the unix
// socket's root-only permissions. HTTP/2 is not offered, since exec
// with stdin takes over an HTTP/1.1 connection.
func TLSConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tls: load certificate: %w", err)
	}
	pool, err := loadCertPool(caFile)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}, nil
}

// loadCertPool reads the PEM certificates of a CA file.
func loadCertPool(caFile string) (*x509.CertPool, error) {
	data, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("tls: read CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, errors.New("tls: CA file " + caFile + " holds no PEM certificate")
	}
	return pool, nil
}
