package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/opencontainers/go-digest"

	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/layer"
)

// Unpack makes sure every layer of img is unpacked and returns their
// directories, bottom first. A layer already unpacked, for this image or
// another, is not touched again.
func (s *Store) Unpack(ctx context.Context, img *image.Image) ([]string, error) {
	dirs := make([]string, len(img.Manifest.Layers))
	for i, desc := range img.Manifest.Layers {
		diffID := img.Config.RootFS.DiffIDs[i]
		if err := s.unpackLayer(ctx, desc.Digest, diffID); err != nil {
			return nil, fmt.Errorf("unpack layer %d (%s): %w", i, desc.Digest, err)
		}
		dirs[i] = s.layerDir(diffID)
	}
	return dirs, nil
}

// unpackLayer unpacks the layer blob into layers/sha256/DIFFID. It
// unpacks into a temporary directory first and renames it into place
// only when the whole layer was applied and both digests checked: the
// blob's own (by the content store) and the uncompressed one (against
// the config's diff ID). Two processes unpacking the same layer at once
// both succeed; the second rename loses and its copy is dropped.
func (s *Store) unpackLayer(ctx context.Context, blob, diffID digest.Digest) error {
	final := s.layerDir(diffID)
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	tmp, err := os.MkdirTemp(s.layerDir(""), ".unpack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op after a successful rename

	r, err := s.images.Content().Open(blob)
	if err != nil {
		return err
	}
	defer r.Close()
	stats, err := layer.Apply(ctx, tmp, r, layer.Options{Mode: layer.Overlay})
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, r); err != nil { // completes the blob check
		return err
	}
	if stats.DiffID != diffID {
		return fmt.Errorf("diff ID mismatch: config says %s, layer is %s", diffID, stats.DiffID)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}

	err = os.Rename(tmp, final)
	if errors.Is(err, os.ErrExist) || isNotEmpty(err) {
		return nil // unpacked meanwhile by someone else
	}
	return err
}
