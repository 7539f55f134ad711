package image

import (
	"context"
	"fmt"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// GC deletes the blobs that no image uses, by mark and sweep: it marks
// every blob reachable from index.json (and from the manifests in keep,
// which snapshots still need), then sweeps the rest. It returns the
// digests it deleted. It holds the index lock throughout, so no image
// can be named meanwhile; a blob being imported but not yet named may
// be collected (see the lesson's Limits).
func (s *Store) GC(ctx context.Context, keep ...digest.Digest) ([]digest.Digest, error) {
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()

	idx, err := s.readIndex()
	if err != nil {
		return nil, err
	}
	roots := idx.Manifests
	for _, d := range keep {
		if s.content.Exists(d) {
			roots = append(roots, ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: d})
		}
	}
	marked := map[digest.Digest]bool{}
	err = walk(s.content, roots, func(d ocispec.Descriptor) error {
		marked[d.Digest] = true
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("gc mark: %w", err)
	}

	all, err := s.content.List()
	if err != nil {
		return nil, err
	}
	var removed []digest.Digest
	for _, d := range all {
		if marked[d] {
			continue
		}
		if err := s.content.Delete(d); err != nil {
			return removed, fmt.Errorf("gc sweep: %w", err)
		}
		removed = append(removed, d)
	}
	return removed, nil
}
