package client

import (
	"context"
	"fmt"
	"os"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sync/errgroup"

	"shibafu.dev/phase3-overlay/content"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/reference"
)

// Push sends the image local of store (a name or a manifest digest) to
// dst, and returns the descriptor of what was pushed. An index is sent
// with every manifest it lists.
func (c *Client) Push(ctx context.Context, store *image.Store, local string,
	dst reference.Reference) (ocispec.Descriptor, error) {
	desc, err := store.Resolve(local)
	if err != nil {
		return ocispec.Descriptor{}, err
	}
	desc = ocispec.Descriptor{MediaType: desc.MediaType, Digest: desc.Digest, Size: desc.Size}
	if err := c.pushTree(ctx, store.Content(), dst, desc, dst.Reference()); err != nil {
		return ocispec.Descriptor{}, err
	}
	return desc, nil
}

// pushTree pushes what desc needs, then desc itself as tagOrDigest:
// blobs before a manifest, manifests before an index.
func (c *Client) pushTree(ctx context.Context, cs *content.Store, dst reference.Reference,
	desc ocispec.Descriptor, tagOrDigest string) error {
	body, err := cs.ReadAll(desc.Digest, manifest.MaxSize)
	if err != nil {
		return err
	}
	m, err := manifest.Parse(desc.MediaType, body)
	if err != nil {
		return fmt.Errorf("push %s: %w", desc.Digest, err)
	}
	for _, child := range m.Manifests {
		if err := c.pushTree(ctx, cs, dst, child, child.Digest.String()); err != nil {
			return err
		}
	}
	if err := c.pushBlobs(ctx, cs, dst, m.Blobs()); err != nil {
		return err
	}
	desc.MediaType = m.MediaType
	return c.putManifest(ctx, dst, tagOrDigest, desc, body)
}

// pushBlobs sends blobs, Parallel at a time.
func (c *Client) pushBlobs(ctx context.Context, cs *content.Store, dst reference.Reference,
	blobs []ocispec.Descriptor) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(c.parallel())
	for _, b := range blobs {
		g.Go(func() error {
			path, err := cs.Path(b.Digest)
			if err != nil {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return fmt.Errorf("push blob %s: %w", b.Digest, err)
			}
			defer f.Close()
			return c.pushBlob(ctx, dst, b, f)
		})
	}
	return g.Wait()
}
