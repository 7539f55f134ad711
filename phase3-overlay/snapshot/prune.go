package snapshot

import (
	"context"
	"fmt"
	"os"

	"github.com/opencontainers/go-digest"
)

// Prune deletes the unpacked layers that neither an image of the store
// nor a snapshot uses, and returns their diff IDs. It returns the
// manifests that snapshots still need, for image.Store.GC to keep.
func (s *Store) Prune(ctx context.Context) (removed, inUse []digest.Digest, err error) {
	used := map[digest.Digest]bool{}
	images, err := s.images.List()
	if err != nil {
		return nil, nil, err
	}
	for _, img := range images {
		for _, d := range img.Config.RootFS.DiffIDs {
			used[d] = true
		}
	}
	snapshots, err := s.List()
	if err != nil {
		return nil, nil, err
	}
	for _, sn := range snapshots {
		inUse = append(inUse, sn.Manifest)
		for _, d := range sn.Layers {
			used[d] = true
		}
	}

	entries, err := os.ReadDir(s.layerDir(""))
	if err != nil {
		return nil, nil, fmt.Errorf("prune layers: %w", err)
	}
	for _, e := range entries {
		d := digest.NewDigestFromEncoded(digest.SHA256, e.Name())
		if d.Validate() != nil || used[d] || ctx.Err() != nil {
			continue // temporary unpack directories are left to their owner
		}
		if err := os.RemoveAll(s.layerDir(d)); err != nil {
			return removed, inUse, fmt.Errorf("prune layer %s: %w", d, err)
		}
		removed = append(removed, d)
	}
	return removed, inUse, ctx.Err()
}
