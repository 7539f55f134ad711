package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Upload is a blob upload in progress (distribution-spec "Pushing
// blobs"): bytes are appended to ROOT/uploads/<id>/data, in one request
// or in chunks, until Commit checks their digest and moves them into the
// blob store. An upload outlives the server process: after a restart it
// can be resumed, or GC removes it once stale.
type Upload struct {
	s    *Store
	id   string
	repo string
}

// runningHash is the sha256 of an upload's first n bytes, kept in memory
// between requests. mu serialises the requests of one upload.
type runningHash struct {
	mu sync.Mutex
	h  hash.Hash
	n  int64
}

// NewUpload starts an upload into repository name.
func (s *Store) NewUpload(name string) (*Upload, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("new upload: %w", err)
	}
	u := &Upload{s: s, id: hex.EncodeToString(b[:]), repo: name}
	if err := os.Mkdir(u.dir(), 0o755); err != nil {
		return nil, fmt.Errorf("new upload: %w", err)
	}
	if err := os.WriteFile(u.path("data"), nil, 0o644); err != nil {
		return nil, fmt.Errorf("new upload: %w", err)
	}
	if err := os.WriteFile(u.path("repo"), []byte(name), 0o644); err != nil {
		return nil, fmt.Errorf("new upload: %w", err)
	}
	s.hashes.Store(u.id, &runningHash{h: sha256.New()})
	return u, nil
}

// GetUpload finds upload id of repository name.
func (s *Store) GetUpload(name, id string) (*Upload, error) {
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("%w: %q", ErrUploadUnknown, id)
	}
	u := &Upload{s: s, id: id, repo: name}
	owner, err := os.ReadFile(u.path("repo"))
	if err != nil || string(owner) != name {
		return nil, fmt.Errorf("%w: %s", ErrUploadUnknown, id)
	}
	return u, nil
}

// ID returns the upload's identifier, used in its URL.
func (u *Upload) ID() string { return u.id }

func (u *Upload) dir() string             { return filepath.Join(u.s.root, "uploads", u.id) }
func (u *Upload) path(name string) string { return filepath.Join(u.dir(), name) }

// state returns the upload's running hash, locked. After a restart it
// is rebuilt from the data received so far.
func (u *Upload) state() (*runningHash, error) {
	v, _ := u.s.hashes.LoadOrStore(u.id, &runningHash{})
	rh := v.(*runningHash)
	rh.mu.Lock()
	if rh.h != nil {
		return rh, nil
	}
	if err := rh.rehash(u.path("data")); err != nil {
		rh.mu.Unlock()
		u.s.hashes.Delete(u.id)
		return nil, err
	}
	return rh, nil
}

func (rh *runningHash) rehash(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrUploadUnknown
	}
	if err != nil {
		return err
	}
	defer f.Close()
	rh.h = sha256.New()
	rh.n, err = io.Copy(rh.h, f)
	if err != nil {
		rh.h = nil
	}
	return err
}

// Size returns the number of bytes received.
func (u *Upload) Size() (int64, error) {
	info, err := os.Stat(u.path("data"))
	if err != nil {
		return 0, fmt.Errorf("%w: %s", ErrUploadUnknown, u.id)
	}
	return info.Size(), nil
}
