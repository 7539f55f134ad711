package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// dirStore keeps certificates and keys as PEM files in a directory, one
// folder per name. A write goes to a temporary file that is renamed
// into place, so a reader (or a crash) never sees half a file.
type dirStore struct {
	dir string
}

// path returns where name's files live; the name is checked to be a
// host name first, so that no name leads out of the directory.
func (s dirStore) path(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("certificate name %q: not a host name", name)
	}
	return filepath.Join(s.dir, "live", name), nil
}

// save writes name's certificate chain and key (both PEM); the key is
// readable by root only.
func (s dirStore) save(name string, certPEM, keyPEM []byte) error {
	dir, err := s.path(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store certificate of %s: %w", name, err)
	}
	if err := writeFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		return fmt.Errorf("store certificate of %s: %w", name, err)
	}
	if err := writeFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644); err != nil {
		return fmt.Errorf("store certificate of %s: %w", name, err)
	}
	return nil
}

// load reads name's certificate and key; it fails with an error
// wrapping os.ErrNotExist if there is none.
func (s dirStore) load(name string) (*tls.Certificate, error) {
	dir, err := s.path(name)
	if err != nil {
		return nil, err
	}
	return loadPair(dir)
}

// loadPair reads DIR/cert.pem and DIR/key.pem into a certificate with
// its Leaf parsed.
func loadPair(dir string) (*tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "cert.pem"),
		filepath.Join(dir, "key.pem"))
	if err != nil {
		return nil, fmt.Errorf("load certificate %s: %w", dir, err)
	}
	return &cert, nil
}

// writeFile writes data to path through a temporary file and a rename,
// with mode perm.
func writeFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// loadOrCreateKey returns the ECDSA P-256 key in the PEM file at path,
// making and saving one (mode 0600) if there is none.
func loadOrCreateKey(path string) (*ecdsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("read key %s: no PEM block", path)
	}
	key, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	}
	return key, nil
}

func createKey(path string) (*ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make key: %w", err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("save key: %w", err)
	}
	if err := writeFile(path, keyPEM, 0o600); err != nil {
		return nil, fmt.Errorf("save key: %w", err)
	}
	return key, nil
}

// encodeKey writes an ECDSA key as an "EC PRIVATE KEY" PEM block (SEC 1).
func encodeKey(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}
