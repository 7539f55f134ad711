package image

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Image is an image of the store, loaded: its name, its manifest and
// its config.
type Image struct {
	// Ref is the image's name in index.json; empty when unnamed.
	Ref string
	// Descriptor points to the manifest.
	Descriptor ocispec.Descriptor
	// Manifest lists the config and the layers, bottom first.
	Manifest ocispec.Manifest
	// Config holds the image's settings and rootfs.diff_ids, the
	// digests of its uncompressed layers.
	Config ocispec.Image
}

// List returns every image of index.json, in index order.
func (s *Store) List() ([]*Image, error) {
	idx, err := s.readIndex()
	if err != nil {
		return nil, err
	}
	images := make([]*Image, 0, len(idx.Manifests))
	for _, d := range idx.Manifests {
		img, err := s.load(d)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", d.Digest, err)
		}
		img.Ref = refOf(d)
		images = append(images, img)
	}
	return images, nil
}

// Get loads the image ref: a name, or the digest of a manifest, which
// need not be named any more as long as its blobs are still there.
func (s *Store) Get(ref string) (*Image, error) {
	d, err := s.Resolve(ref)
	if errors.Is(err, ErrNotFound) && s.content.Exists(digest.Digest(ref)) {
		d, err = ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest,
			Digest: digest.Digest(ref)}, nil
	}
	if err != nil {
		return nil, err
	}
	img, err := s.load(d)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", ref, err)
	}
	img.Ref = refOf(d)
	return img, nil
}

// load reads the manifest d points to, and its config. When d is an
// image index (a multi-platform image, as skopeo may copy), the manifest
// for this machine's platform is chosen, as a runtime would.
func (s *Store) load(d ocispec.Descriptor) (*Image, error) {
	if d.MediaType == ocispec.MediaTypeImageIndex {
		var err error
		if d, err = s.pickPlatform(d); err != nil {
			return nil, err
		}
	}
	if d.MediaType != ocispec.MediaTypeImageManifest {
		return nil, fmt.Errorf("%w: media type %q", ErrInvalidImage, d.MediaType)
	}
	img := &Image{Descriptor: d}
	if err := s.content.ReadJSON(d.Digest, &img.Manifest); err != nil {
		return nil, err
	}
	if err := s.content.ReadJSON(img.Manifest.Config.Digest, &img.Config); err != nil {
		return nil, err
	}
	if len(img.Config.RootFS.DiffIDs) != len(img.Manifest.Layers) {
		return nil, fmt.Errorf("%w: %d layers but %d diff IDs", ErrInvalidImage,
			len(img.Manifest.Layers), len(img.Config.RootFS.DiffIDs))
	}
	return img, nil
}

// pickPlatform returns the manifest of index d for linux on this CPU.
func (s *Store) pickPlatform(d ocispec.Descriptor) (ocispec.Descriptor, error) {
	var idx ocispec.Index
	if err := s.content.ReadJSON(d.Digest, &idx); err != nil {
		return ocispec.Descriptor{}, err
	}
	for _, m := range idx.Manifests {
		p := m.Platform
		if p == nil || (p.OS == "linux" && p.Architecture == runtime.GOARCH) {
			return m, nil
		}
	}
	return ocispec.Descriptor{}, fmt.Errorf("%w: no manifest for linux/%s", ErrNotFound,
		runtime.GOARCH)
}
