package content

import (
	// go-digest finds its hash functions through crypto.Hash, which
	// knows SHA-256 only once the package is linked in.
	_ "crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/opencontainers/go-digest"
)

// Store keeps blobs under DIR/blobs/sha256, the layout of an OCI image
// directory, and its temporary files under DIR/ingest. Methods are safe
// to call from several processes at once: every change is a rename(2).
type Store struct {
	dir string
}

// Open returns the store rooted at dir, creating its directories.
func Open(dir string) (*Store, error) {
	s := &Store{dir: dir}
	for _, d := range []string{s.blobDir(), s.ingestDir()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("make blob store: %w", err)
		}
	}
	return s, nil
}

// OpenExisting returns the store of an existing layout in dir, such as
// one another tool wrote, without creating anything there. Reading works
// as usual; Write needs the ingest directory and fails without it.
func OpenExisting(dir string) (*Store, error) {
	s := &Store{dir: dir}
	if _, err := os.Stat(s.blobDir()); err != nil {
		return nil, fmt.Errorf("open blob store: %w", err)
	}
	return s, nil
}

func (s *Store) blobDir() string   { return filepath.Join(s.dir, "blobs", "sha256") }
func (s *Store) ingestDir() string { return filepath.Join(s.dir, "ingest") }

// Path returns the file that holds the blob d (it may not exist). It
// refuses malformed digests, so a digest can never name a path outside
// the store.
func (s *Store) Path(d digest.Digest) (string, error) {
	if err := check(d); err != nil {
		return "", err
	}
	return filepath.Join(s.blobDir(), d.Encoded()), nil
}

// check accepts only well-formed sha256 digests, the one algorithm the
// OCI image spec requires every implementation to support.
func check(d digest.Digest) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("%w: %q: %w", ErrInvalidDigest, d, err)
	}
	if d.Algorithm() != digest.SHA256 {
		return fmt.Errorf("%w: %q: only sha256 is supported", ErrInvalidDigest, d)
	}
	return nil
}

// Size returns the size of blob d in bytes, or an error wrapping
// ErrNotFound.
func (s *Store) Size(d digest.Digest) (int64, error) {
	path, err := s.Path(d)
	if err != nil {
		return 0, err
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, d)
	} else if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// Exists reports whether blob d is in the store.
func (s *Store) Exists(d digest.Digest) bool {
	_, err := s.Size(d)
	return err == nil
}

// Delete removes blob d. Deleting a missing blob is not an error.
func (s *Store) Delete(d digest.Digest) error {
	path, err := s.Path(d)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// List returns the digest of every blob in the store. Files whose names
// are not digests (left by other tools) are ignored.
func (s *Store) List() ([]digest.Digest, error) {
	entries, err := os.ReadDir(s.blobDir())
	if err != nil {
		return nil, fmt.Errorf("list blobs: %w", err)
	}
	var out []digest.Digest
	for _, e := range entries {
		d := digest.NewDigestFromEncoded(digest.SHA256, e.Name())
		if e.Type().IsRegular() && check(d) == nil && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, d)
		}
	}
	return out, nil
}

// TempDir returns the store's directory for temporary files. It is on
// the same file system as the blobs, so a file made there can be renamed
// into place.
func (s *Store) TempDir() string { return s.ingestDir() }
