package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/opencontainers/go-digest"
)

func (s *Store) tagPath(name, tag string) string {
	return s.repoPath(name, "_tags", tag)
}

// Tag points tag of repository name at manifest d, replacing what it
// pointed at before. The tag must have been checked by
// reference.ValidateTag.
func (s *Store) Tag(name, tag string, d digest.Digest) error {
	if err := s.writeAtomic(s.tagPath(name, tag), []byte(d.String())); err != nil {
		return fmt.Errorf("tag %s: %w", tag, err)
	}
	return nil
}

// ResolveTag returns the digest tag points at in repository name.
func (s *Store) ResolveTag(name, tag string) (digest.Digest, error) {
	data, err := os.ReadFile(s.tagPath(name, tag))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: tag %s", ErrManifestUnknown, tag)
	}
	if err != nil {
		return "", fmt.Errorf("read tag: %w", err)
	}
	return digest.Digest(strings.TrimSpace(string(data))), nil
}

// DeleteTag removes tag from repository name; the manifest stays.
func (s *Store) DeleteTag(name, tag string) error {
	err := os.Remove(s.tagPath(name, tag))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: tag %s", ErrManifestUnknown, tag)
	}
	if err != nil {
		return fmt.Errorf("delete tag: %w", err)
	}
	return nil
}

// Tags lists the tags of repository name in lexical order, as the spec's
// pagination needs.
func (s *Store) Tags(name string) ([]string, error) {
	if !exists(s.repoPath(name)) {
		return nil, fmt.Errorf("%w: %s", ErrNameUnknown, name)
	}
	tags, err := readDirNames(s.repoPath(name, "_tags"))
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	sort.Strings(tags)
	return tags, nil
}

// untagDigest removes every tag of repository name that points at d.
func (s *Store) untagDigest(name string, d digest.Digest) error {
	tags, err := readDirNames(s.repoPath(name, "_tags"))
	if err != nil {
		return fmt.Errorf("list tags: %w", err)
	}
	for _, tag := range tags {
		if got, err := s.ResolveTag(name, tag); err == nil && got == d {
			if err := s.DeleteTag(name, tag); err != nil && !errors.Is(err, ErrManifestUnknown) {
				return err
			}
		}
	}
	return nil
}
