package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase5-registry/manifest"
)

// revisionPath is the file recording that manifest d belongs to
// repository name. It holds the manifest's media type.
func (s *Store) revisionPath(name string, d digest.Digest) string {
	return s.repoPath(name, "_manifests", d.Algorithm().String(), d.Encoded())
}

// PutManifest stores body, the manifest m with digest d, in repository
// name, and points tag at it unless tag is empty. Everything m needs
// must be there first: its blobs in this repository, its child
// manifests too (the spec lets a registry refuse otherwise, with
// MANIFEST_BLOB_UNKNOWN). The subject need not exist.
func (s *Store) PutManifest(name, tag string, d digest.Digest, body []byte,
	m *manifest.Manifest) error {
	unlock, err := s.gcLock(false)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.checkReferences(name, m); err != nil {
		return err
	}

	if !s.HasBlob(d) {
		if err := s.writeAtomic(s.blobPath(d), body); err != nil {
			return fmt.Errorf("store manifest: %w", err)
		}
	} else if err := touch(s.blobPath(d)); err != nil {
		return fmt.Errorf("store manifest: %w", err)
	}
	if err := s.writeAtomic(s.revisionPath(name, d), []byte(m.MediaType)); err != nil {
		return fmt.Errorf("store manifest: %w", err)
	}
	if m.Subject != nil {
		if err := s.addReferrer(name, d, int64(len(body)), m); err != nil {
			return err
		}
	}
	if tag != "" {
		return s.Tag(name, tag, d)
	}
	return nil
}

func (s *Store) checkReferences(name string, m *manifest.Manifest) error {
	for _, b := range m.Blobs() {
		if !exists(s.linkPath(name, b.Digest)) || !s.HasBlob(b.Digest) {
			return fmt.Errorf("%w: blob %s", ErrManifestBlobUnknown, b.Digest)
		}
	}
	for _, c := range m.Manifests {
		if !exists(s.revisionPath(name, c.Digest)) {
			return fmt.Errorf("%w: manifest %s", ErrManifestBlobUnknown, c.Digest)
		}
	}
	return nil
}

// GetManifest returns manifest d of repository name and its media type.
func (s *Store) GetManifest(name string, d digest.Digest) (string, []byte, error) {
	mediaType, err := os.ReadFile(s.revisionPath(name, d))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("%w: %s", ErrManifestUnknown, d)
	}
	if err != nil {
		return "", nil, fmt.Errorf("read manifest: %w", err)
	}
	body, err := os.ReadFile(s.blobPath(d))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("%w: %s", ErrManifestUnknown, d)
	}
	if err != nil {
		return "", nil, fmt.Errorf("read manifest: %w", err)
	}
	return string(mediaType), body, nil
}

// DeleteManifest removes manifest d from repository name, with every
// tag that points to it and its entry in the referrers of its subject.
func (s *Store) DeleteManifest(name string, d digest.Digest) error {
	mediaType, body, err := s.GetManifest(name, d)
	if err != nil {
		return err
	}
	if m, err := manifest.Parse(mediaType, body); err == nil && m.Subject != nil {
		if err := s.removeReferrer(name, m.Subject.Digest, d); err != nil {
			return err
		}
	}
	if err := s.untagDigest(name, d); err != nil {
		return err
	}
	if err := os.Remove(s.revisionPath(name, d)); err != nil {
		return fmt.Errorf("delete manifest: %w", err)
	}
	return nil
}

// descriptorOf describes a stored manifest the way the referrers API
// lists it.
func descriptorOf(d digest.Digest, size int64, m *manifest.Manifest) ocispec.Descriptor {
	return ocispec.Descriptor{MediaType: m.MediaType, Digest: d, Size: size,
		ArtifactType: m.ArtifactType, Annotations: m.Annotations}
}
