package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/opencontainers/go-digest"
	"golang.org/x/sys/unix"
)

// Store is a registry's storage under one root directory. Its methods
// are safe for concurrent use, also by several processes (a server and
// an offline `shibafu-registry gc`), which coordinate through a lock
// file.
type Store struct {
	root string
	// noSync skips fsync(2) before renames: content still survives a
	// killed process, but not a power cut.
	noSync bool
	// hashes keeps the running digest of each upload, so that finishing
	// an upload does not read its data again.
	hashes sync.Map // upload id -> *runningHash
}

// Options tune a Store. The zero value is the safe default.
type Options struct {
	// NoSync skips fsync before content becomes visible. Faster; a
	// process crash is still safe, a machine crash may lose data.
	NoSync bool
}

// Open returns the store in root, making its directories if needed.
func Open(root string, opts Options) (*Store, error) {
	s := &Store{root: root, noSync: opts.NoSync}
	for _, dir := range []string{"blobs/sha256", "blobs/sha512", "uploads",
		"repositories", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	return s, nil
}

// Root returns the store's directory.
func (s *Store) Root() string { return s.root }

// blobPath is where the content of d lives. d must have been checked
// by reference.ParseDigest.
func (s *Store) blobPath(d digest.Digest) string {
	return filepath.Join(s.root, "blobs", d.Algorithm().String(), d.Encoded())
}

// repoPath is the directory of repository name, which must have been
// checked by reference.ValidateName.
func (s *Store) repoPath(name string, parts ...string) string {
	return filepath.Join(append([]string{s.root, "repositories", name}, parts...)...)
}

// writeAtomic replaces path with data: it writes a temporary file,
// syncs it unless told not to, and renames it into place.
func (s *Store) writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "w-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	_, err = tmp.Write(data)
	if err == nil && !s.noSync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// gcLock takes a flock(2) on ROOT/gc.lock: shared by writers that make
// content reachable, exclusive for garbage collection. flock locks
// belong to an open file, so each call opens the file anew, and the
// lock also works between goroutines of one process.
func (s *Store) gcLock(exclusive bool) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(s.root, "gc.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock store: %w", err)
	}
	how := unix.LOCK_SH
	if exclusive {
		how = unix.LOCK_EX
	}
	if err := unix.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock store: %w", err)
	}
	return func() { f.Close() }, nil
}

// readDirNames lists a directory; a missing one is empty.
func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}
