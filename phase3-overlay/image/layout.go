package image

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/content"
)

// ImportLayout copies images from the OCI image layout directory dir
// (one made by umoci, skopeo or another store) into this store: the
// images named refs, or all of them when refs is empty. Blobs are
// verified as they are copied. It returns the imported images.
func (s *Store) ImportLayout(ctx context.Context, dir string, opts ImportOptions, refs ...string) (
	[]*Image, error) {
	src, err := readLayoutIndex(dir)
	if err != nil {
		return nil, err
	}
	var chosen []ocispec.Descriptor
	for _, d := range src.Manifests {
		if len(refs) == 0 || slices.Contains(refs, refOf(d)) {
			chosen = append(chosen, d)
		}
	}
	if len(chosen) == 0 || (len(refs) > 0 && len(chosen) != len(refs)) {
		return nil, fmt.Errorf("%w: %v in layout %s", ErrNotFound, refs, dir)
	}

	from, err := content.OpenExisting(dir)
	if err != nil {
		return nil, err
	}
	err = walk(from, chosen, func(d ocispec.Descriptor) error {
		path, err := from.Path(d.Digest)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("%w: blob %s: %w", ErrInvalidImage, d.Digest, err)
		}
		defer f.Close()
		_, _, err = s.content.Write(ctx, withProgress(f, opts.Progress, -1), d.Digest)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("import layout %s: %w", dir, err)
	}
	return s.adopt(chosen)
}

// readLayoutIndex checks that dir is an OCI image layout and returns its
// index.
func readLayoutIndex(dir string) (*ocispec.Index, error) {
	data, err := os.ReadFile(filepath.Join(dir, ocispec.ImageLayoutFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not an OCI layout: %w", ErrInvalidImage, dir, err)
	}
	var layout ocispec.ImageLayout
	err = json.Unmarshal(data, &layout)
	if err != nil || layout.Version != ocispec.ImageLayoutVersion {
		return nil, fmt.Errorf("%w: %s: unsupported oci-layout", ErrInvalidImage, dir)
	}
	s := &Store{dir: dir}
	return s.readIndex()
}
