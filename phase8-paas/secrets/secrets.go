// Package secrets seals an app's secrets for storage: AES-256 in GCM
// mode, with a key file made at first start and readable by root only.
// The state store then holds only sealed bytes, so that a copy of it (a
// backup, a bug report) does not give the secrets away.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"shibafu.dev/phase0-runc/statefile"
)

// KeySize is the size of an AES-256 key.
const KeySize = 32

// Box seals and opens values with one key. It is safe for concurrent
// use.
type Box struct {
	aead cipher.AEAD
}

// LoadOrCreate reads the key at path, or, if there is none, makes a
// random one and writes it there with mode 0600. A key file of the wrong
// size, or readable by others than its owner, is refused.
func LoadOrCreate(path string) (*Box, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key = make([]byte, KeySize)
		rand.Read(key)
		if err := statefile.WriteFile(path, key, 0o600); err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secret key %s: mode %v lets others read it; want 0600",
			path, fi.Mode().Perm())
	}
	return New(key)
}

// New makes a Box of a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key: %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain. The result is a fresh random nonce followed by
// the ciphertext and its tag; context (here the app and secret name) is
// authenticated too, so that a sealed value moved to another name does
// not open.
func (b *Box) Seal(plain, context []byte) []byte {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	rand.Read(nonce)
	return b.aead.Seal(nonce, nonce, plain, context)
}

// Open decrypts what Seal made with the same context.
func (b *Box) Open(sealed, context []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, errors.New("secret: sealed value too short")
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], context)
	if err != nil {
		return nil, errors.New("secret: cannot open (wrong key, or value moved or damaged)")
	}
	return plain, nil
}
