package storage

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// Repositories lists every repository, sorted: the directories under
// ROOT/repositories that hold a "_" directory of links.
func (s *Store) Repositories() ([]string, error) {
	base := filepath.Join(s.root, "repositories")
	seen := map[string]bool{}
	err := filepath.WalkDir(base, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && strings.HasPrefix(e.Name(), "_") {
			rel, err := filepath.Rel(base, filepath.Dir(path))
			if err != nil {
				return err
			}
			seen[filepath.ToSlash(rel)] = true
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
