package snapshot

import (
	"context"
	"io"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/layer"
)

// Diff writes the changes of the snapshot name to w as an uncompressed
// tar layer, with deletions as OCI whiteouts.
func (s *Store) Diff(ctx context.Context, name string, w io.Writer) error {
	sn, err := s.Get(name)
	if err != nil {
		return err
	}
	return layer.Diff(ctx, w, sn.Upper())
}

// CommitOptions change what Commit records.
type CommitOptions struct {
	// Config replaces the image settings; nil keeps the base image's.
	Config *ocispec.ImageConfig
	// Message is recorded in the new layer's history entry.
	Message string
}

// Commit stores the changes of the snapshot name as a new layer on top
// of the image it was made from, and names the result ref: `docker
// commit`. Stop the container first: a file still being written would be
// caught half done.
func (s *Store) Commit(ctx context.Context, name, ref string, opts CommitOptions) (
	*image.Image, error) {
	sn, err := s.Get(name)
	if err != nil {
		return nil, err
	}
	base, err := s.images.Get(sn.Manifest.String())
	if err != nil {
		return nil, err
	}
	desc, diffID, err := s.images.WriteLayer(ctx, func(w io.Writer) error {
		return layer.Diff(ctx, w, sn.Upper())
	})
	if err != nil {
		return nil, err
	}

	cfg := base.Config.Config
	if opts.Config != nil {
		cfg = *opts.Config
	}
	hist := ocispec.History{
		Created:   timePtr(),
		CreatedBy: "shibafu-image commit " + name,
		Comment:   opts.Message,
	}
	return s.images.Create(ctx, ref, base, cfg, image.Layer{
		Descriptor: desc, DiffID: diffID, History: hist,
	})
}
