package image

import (
	"fmt"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/content"
)

// children returns the descriptors that the blob d refers to: an index's
// manifests, a manifest's config and layers. Other blobs refer to none.
func children(cs *content.Store, d ocispec.Descriptor) ([]ocispec.Descriptor, error) {
	switch d.MediaType {
	case ocispec.MediaTypeImageIndex:
		var idx ocispec.Index
		if err := cs.ReadJSON(d.Digest, &idx); err != nil {
			return nil, err
		}
		return idx.Manifests, nil
	case ocispec.MediaTypeImageManifest:
		var m ocispec.Manifest
		if err := cs.ReadJSON(d.Digest, &m); err != nil {
			return nil, err
		}
		return append([]ocispec.Descriptor{m.Config}, m.Layers...), nil
	}
	return nil, nil
}

// walk calls fn for d and every blob below it, each digest once, parents
// before their children. fn returning an error stops the walk; a blob fn
// cannot see is reported by children when it is read.
func walk(cs *content.Store, roots []ocispec.Descriptor, fn func(ocispec.Descriptor) error) error {
	seen := map[digest.Digest]bool{}
	var visit func(d ocispec.Descriptor) error
	visit = func(d ocispec.Descriptor) error {
		if seen[d.Digest] {
			return nil
		}
		seen[d.Digest] = true
		if err := fn(d); err != nil {
			return err
		}
		kids, err := children(cs, d)
		if err != nil {
			return fmt.Errorf("read %s: %w", d.Digest, err)
		}
		for _, k := range kids {
			if err := visit(k); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range roots {
		if err := visit(r); err != nil {
			return err
		}
	}
	return nil
}
