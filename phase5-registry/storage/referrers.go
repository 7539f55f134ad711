package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase5-registry/manifest"
)

// referrersDir holds one file per manifest whose subject is subject.
func (s *Store) referrersDir(name string, subject digest.Digest) string {
	return s.repoPath(name, "_referrers", subject.Algorithm().String(), subject.Encoded())
}

func referrerFile(d digest.Digest) string {
	return d.Algorithm().String() + "-" + d.Encoded()
}

// addReferrer records manifest d (size bytes, parsed as m) as a referrer
// of m.Subject, with the descriptor the referrers API will return.
func (s *Store) addReferrer(name string, d digest.Digest, size int64,
	m *manifest.Manifest) error {
	data, err := json.Marshal(descriptorOf(d, size, m))
	if err != nil {
		return fmt.Errorf("add referrer: %w", err)
	}
	path := filepath.Join(s.referrersDir(name, m.Subject.Digest), referrerFile(d))
	if err := s.writeAtomic(path, data); err != nil {
		return fmt.Errorf("add referrer: %w", err)
	}
	return nil
}

func (s *Store) removeReferrer(name string, subject, d digest.Digest) error {
	path := filepath.Join(s.referrersDir(name, subject), referrerFile(d))
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove referrer: %w", err)
	}
	return nil
}

// Referrers returns the descriptors of the manifests of repository name
// whose subject is subject (distribution-spec "Listing Referrers"). An
// unknown subject has none.
func (s *Store) Referrers(name string, subject digest.Digest) ([]ocispec.Descriptor, error) {
	dir := s.referrersDir(name, subject)
	files, err := readDirNames(dir)
	if err != nil {
		return nil, fmt.Errorf("list referrers: %w", err)
	}
	out := []ocispec.Descriptor{}
	for _, f := range files {
		if strings.HasPrefix(f, ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since the listing
		}
		var d ocispec.Descriptor
		if err == nil {
			err = json.Unmarshal(data, &d)
		}
		if err != nil {
			return nil, fmt.Errorf("read referrer %s: %w", f, err)
		}
		out = append(out, d)
	}
	return out, nil
}
