package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/opencontainers/go-digest"
)

// linkPath is the file that links blob d into repository name.
func (s *Store) linkPath(name string, d digest.Digest) string {
	return s.repoPath(name, "_blobs", d.Algorithm().String(), d.Encoded())
}

// StatBlob returns the size of blob d in repository name.
func (s *Store) StatBlob(name string, d digest.Digest) (int64, error) {
	if !exists(s.linkPath(name, d)) {
		return 0, fmt.Errorf("%w: %s", ErrBlobUnknown, d)
	}
	info, err := os.Stat(s.blobPath(d))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("%w: %s", ErrBlobUnknown, d)
	}
	if err != nil {
		return 0, fmt.Errorf("stat blob: %w", err)
	}
	return info.Size(), nil
}

// OpenBlob opens blob d of repository name for reading. The caller
// closes the file.
func (s *Store) OpenBlob(name string, d digest.Digest) (*os.File, error) {
	if !exists(s.linkPath(name, d)) {
		return nil, fmt.Errorf("%w: %s", ErrBlobUnknown, d)
	}
	f, err := os.Open(s.blobPath(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrBlobUnknown, d)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return f, nil
}

// HasBlob reports whether the shared store holds d, in any repository.
func (s *Store) HasBlob(d digest.Digest) bool { return exists(s.blobPath(d)) }

// MountBlob links blob d into repository name, the cross-repository
// mount of the spec. from names the repository it comes from; an empty
// from mounts any blob the registry holds. The blob's time is renewed so
// that a collection running now keeps it for another grace period.
func (s *Store) MountBlob(name, from string, d digest.Digest) error {
	if from != "" && !exists(s.linkPath(from, d)) {
		return fmt.Errorf("%w: %s in %s", ErrBlobUnknown, d, from)
	}
	unlock, err := s.gcLock(false)
	if err != nil {
		return err
	}
	defer unlock()
	if !s.HasBlob(d) {
		return fmt.Errorf("%w: %s", ErrBlobUnknown, d)
	}
	if err := s.link(name, d); err != nil {
		return err
	}
	return touch(s.blobPath(d))
}

// link writes the (empty) link file of d in repository name.
func (s *Store) link(name string, d digest.Digest) error {
	path := s.linkPath(name, d)
	if exists(path) {
		return nil
	}
	if err := s.writeAtomic(path, nil); err != nil {
		return fmt.Errorf("link blob: %w", err)
	}
	return nil
}

// DeleteBlob removes blob d from repository name. Other repositories
// keep it; GC removes the content once nothing needs it.
func (s *Store) DeleteBlob(name string, d digest.Digest) error {
	err := os.Remove(s.linkPath(name, d))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrBlobUnknown, d)
	}
	if err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}
