package client

import (
	"bytes"
	"context"
	"fmt"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sync/errgroup"

	"shibafu.dev/phase3-overlay/content"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/reference"
)

// Pull fetches src into store and names it local there (src's
// "name:tag" when local is empty). An index comes with every manifest it
// lists, for all platforms. Every blob and manifest is checked against
// its digest before it enters the store, and a manifest enters only
// after everything it names.
func (c *Client) Pull(ctx context.Context, store *image.Store, src reference.Reference,
	local string) (ocispec.Descriptor, error) {
	desc, body, err := c.fetchManifest(ctx, src, src.Reference())
	if err != nil {
		return ocispec.Descriptor{}, err
	}
	if err := c.pullTree(ctx, store.Content(), src, desc, body); err != nil {
		return ocispec.Descriptor{}, err
	}
	if local == "" {
		local = src.Name + ":" + src.Tag
		if src.Tag == "" {
			local = src.Name + ":" + src.Digest.Encoded()[:12]
		}
	}
	return desc, store.SetRef(local, desc)
}

// pullTree fetches what the manifest desc (whose bytes are body) names,
// then stores body itself.
func (c *Client) pullTree(ctx context.Context, cs *content.Store, src reference.Reference,
	desc ocispec.Descriptor, body []byte) error {
	m, err := manifest.Parse(desc.MediaType, body)
	if err != nil {
		return err
	}
	for _, child := range m.Manifests {
		cdesc, cbody, err := c.fetchManifest(ctx, src, child.Digest.String())
		if err != nil {
			return err
		}
		if cdesc.Size != child.Size {
			return fmt.Errorf("manifest %s is %d bytes, the index says %d", child.Digest,
				cdesc.Size, child.Size)
		}
		if err := c.pullTree(ctx, cs, src, cdesc, cbody); err != nil {
			return err
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.parallel())
	for _, b := range m.Blobs() {
		g.Go(func() error { return c.pullBlob(gctx, src, b, cs) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	_, _, err = cs.Write(ctx, bytes.NewReader(body), desc.Digest)
	return err
}
