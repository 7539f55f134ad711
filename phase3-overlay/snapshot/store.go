package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase3-overlay/image"
)

// The error categories of this package; test for them with errors.Is.
var (
	// ErrNotFound means no snapshot has the given name.
	ErrNotFound = errors.New("snapshot not found")
	// ErrExists means the name is already taken.
	ErrExists = errors.New("snapshot already exists")
)

// Store keeps unpacked layers and snapshots under one directory, for the
// images of one image store.
type Store struct {
	root   string
	images *image.Store
}

// New returns the snapshot store in root for the images of images. The
// root's absolute path may not hold ',' or ':', which separate overlay
// mount options and lower directories.
func New(root string, images *image.Store) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("snapshot root: %w", err)
	}
	if strings.ContainsAny(abs, ",:") {
		return nil, fmt.Errorf("snapshot root %s: ',' and ':' cannot appear in overlay options", abs)
	}
	s := &Store{root: abs, images: images}
	for _, d := range []string{s.layerDir(""), s.mountsDir()} {
		if err := os.MkdirAll(d, 0o711); err != nil {
			return nil, fmt.Errorf("make snapshot store: %w", err)
		}
	}
	return s, nil
}

// layerDir is where the layer with diff ID d is unpacked; an empty d
// gives the parent of all layers.
func (s *Store) layerDir(d digest.Digest) string {
	if d == "" {
		return filepath.Join(s.root, "layers", "sha256")
	}
	return filepath.Join(s.root, "layers", "sha256", d.Encoded())
}

func (s *Store) mountsDir() string { return filepath.Join(s.root, "mounts") }

// Snapshot is one container root filesystem: an image's layers under an
// upper directory of changes.
type Snapshot struct {
	// Name identifies the snapshot; it follows the container ID grammar.
	Name string `json:"name"`
	// Image is the name or digest the snapshot was prepared from.
	Image string `json:"image"`
	// Manifest is the digest of the image's manifest.
	Manifest digest.Digest `json:"manifest"`
	// Layers are the diff IDs of the image's layers, bottom first.
	Layers []digest.Digest `json:"layers"`
	// Created is when the snapshot was prepared.
	Created time.Time `json:"created"`
	// Mounted tells whether the overlay is mounted now; it is worked out
	// when the snapshot is read, not stored.
	Mounted bool `json:"-"`

	dir string
}

// Upper returns the directory that holds the snapshot's changes.
func (sn *Snapshot) Upper() string { return filepath.Join(sn.dir, "upper") }

// Work returns overlayfs's work directory for the snapshot.
func (sn *Snapshot) Work() string { return filepath.Join(sn.dir, "work") }

// Mountpoint returns where the snapshot is mounted: the container's root.
func (sn *Snapshot) Mountpoint() string { return filepath.Join(sn.dir, "merged") }

// Get returns the snapshot name.
func (s *Store) Get(name string) (*Snapshot, error) {
	if err := bundle.ValidateID(name); err != nil {
		return nil, err
	}
	dir := filepath.Join(s.mountsDir(), name)
	data, err := os.ReadFile(filepath.Join(dir, "snapshot.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	} else if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	sn := &Snapshot{dir: dir}
	if err := json.Unmarshal(data, sn); err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", name, err)
	}
	sn.Mounted = isMountpoint(sn.Mountpoint())
	return sn, nil
}

// List returns every snapshot, by name.
func (s *Store) List() ([]*Snapshot, error) {
	entries, err := os.ReadDir(s.mountsDir())
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	var out []*Snapshot
	for _, e := range entries {
		sn, err := s.Get(e.Name())
		if errors.Is(err, ErrNotFound) {
			continue // being prepared or removed right now
		}
		if err != nil {
			return nil, err
		}
		out = append(out, sn)
	}
	return out, nil
}

// save writes snapshot.json, the record that makes the snapshot exist.
func (sn *Snapshot) save() error {
	data, err := json.MarshalIndent(sn, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(sn.dir, ".snapshot.json")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("save snapshot: %w", err)
	}
	return os.Rename(tmp, filepath.Join(sn.dir, "snapshot.json"))
}
