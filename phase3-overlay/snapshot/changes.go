package snapshot

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Kind is the sort of a change, as `docker diff` prints it.
type Kind byte

// The kinds of change.
const (
	Added   Kind = 'A'
	Changed Kind = 'C'
	Deleted Kind = 'D'
)

// Change is one path a snapshot added, changed or deleted.
type Change struct {
	Kind Kind
	Path string // absolute, as the container sees it
}

// Changes lists what the snapshot name changed in its image, reading
// its upper directory: a whiteout is a deletion, a path that some layer
// has is a change, any other an addition.
func (s *Store) Changes(name string) ([]Change, error) {
	sn, err := s.Get(name)
	if err != nil {
		return nil, err
	}
	var out []Change
	upper := sn.Upper()
	err = filepath.WalkDir(upper, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == upper {
			return err
		}
		rel, _ := filepath.Rel(upper, path)
		kind := Added
		if info, err := d.Info(); err == nil && isWhiteout(info) {
			kind = Deleted
		} else if s.inLayers(sn, rel) {
			kind = Changed
		}
		out = append(out, Change{Kind: kind, Path: "/" + filepath.ToSlash(rel)})
		return nil
	})
	return out, err
}

// inLayers reports whether any of the snapshot's layers holds rel.
func (s *Store) inLayers(sn *Snapshot, rel string) bool {
	for _, d := range sn.Layers {
		if info, err := os.Lstat(filepath.Join(s.layerDir(d), rel)); err == nil && !isWhiteout(info) {
			return true
		}
	}
	return false
}

func isWhiteout(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && info.Mode()&fs.ModeCharDevice != 0 && st.Rdev == 0
}

func timePtr() *time.Time {
	now := time.Now().UTC()
	return &now
}
