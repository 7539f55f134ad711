package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase3-overlay/content"
)

// Store is an image store: an OCI image layout directory. Several
// processes may use one store; changes to index.json are serialised with
// a lock file and written atomically.
type Store struct {
	dir     string
	content *content.Store
}

// Open returns the store in dir, creating an empty layout if dir holds
// none.
func Open(dir string) (*Store, error) {
	cs, err := content.Open(dir)
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, content: cs}
	if err := s.init(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the layout directory.
func (s *Store) Dir() string { return s.dir }

// Content returns the store's blobs.
func (s *Store) Content() *content.Store { return s.content }

// init writes oci-layout and an empty index.json where they are missing.
func (s *Store) init() error {
	layout := filepath.Join(s.dir, ocispec.ImageLayoutFile)
	if _, err := os.Stat(layout); errors.Is(err, fs.ErrNotExist) {
		data, _ := json.Marshal(ocispec.ImageLayout{Version: ocispec.ImageLayoutVersion})
		if err := writeAtomic(layout, data); err != nil {
			return fmt.Errorf("init layout: %w", err)
		}
	}
	return s.update(func(*ocispec.Index) error { return nil })
}

// readIndex returns the parsed index.json; a missing one is empty.
func (s *Store) readIndex() (*ocispec.Index, error) {
	idx := emptyIndex()
	data, err := os.ReadFile(filepath.Join(s.dir, ocispec.ImageIndexFile))
	if errors.Is(err, fs.ErrNotExist) {
		return idx, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	if err := json.Unmarshal(data, idx); err != nil {
		return nil, fmt.Errorf("%w: index.json: %w", ErrInvalidImage, err)
	}
	return idx, nil
}

func emptyIndex() *ocispec.Index {
	idx := &ocispec.Index{MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{}}
	idx.SchemaVersion = 2
	return idx
}

// update changes index.json under the store's lock: it reads the index,
// lets fn change it, and writes it back atomically.
func (s *Store) update(fn func(*ocispec.Index) error) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()

	idx, err := s.readIndex()
	if err != nil {
		return err
	}
	if err := fn(idx); err != nil {
		return err
	}
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return fmt.Errorf("encode index: %w", err)
	}
	return writeAtomic(filepath.Join(s.dir, ocispec.ImageIndexFile), data)
}

// lock takes an exclusive flock(2) on DIR/index.lock, serialising index
// changes and garbage collection between processes.
func (s *Store) lock() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(s.dir, "index.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock index: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock index: %w", err)
	}
	return func() { f.Close() }, nil // closing the file drops the lock
}

// writeAtomic replaces path with data through a temporary file and
// rename(2), so readers never see half a file.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
