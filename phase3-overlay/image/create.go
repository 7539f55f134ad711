package image

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/opencontainers/go-digest"
	specsgo "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// WriteLayer stores the tar stream that write produces as a
// gzip-compressed layer blob. It returns the layer's descriptor (the
// digest of the compressed bytes, which the manifest lists) and its diff
// ID (the digest of the uncompressed tar, which the config lists).
func (s *Store) WriteLayer(ctx context.Context, write func(io.Writer) error) (
	ocispec.Descriptor, digest.Digest, error) {
	pr, pw := io.Pipe()
	diffID := digest.SHA256.Digester()
	go func() {
		zw := gzip.NewWriter(pw)
		err := write(io.MultiWriter(zw, diffID.Hash()))
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()

	d, size, err := s.content.Write(ctx, pr, "")
	pr.CloseWithError(err) // stops the writer if the store failed first
	if err != nil {
		return ocispec.Descriptor{}, "", fmt.Errorf("write layer: %w", err)
	}
	desc := ocispec.Descriptor{MediaType: ocispec.MediaTypeImageLayerGzip, Digest: d, Size: size}
	return desc, diffID.Digest(), nil
}

// Layer is a layer blob with its diff ID and the history entry that
// explains it.
type Layer struct {
	Descriptor ocispec.Descriptor
	DiffID     digest.Digest
	History    ocispec.History
}

// Create stores a new image made of base's layers (none if base is nil)
// plus layers, with the settings cfg, and names it ref. It writes the
// config and then the manifest (image-spec "manifest.md"), so that every
// blob exists before anything points to it.
func (s *Store) Create(ctx context.Context, ref string, base *Image, cfg ocispec.ImageConfig,
	layers ...Layer) (*Image, error) {
	if err := ValidateRef(ref); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	config := ocispec.Image{
		Created:  &now,
		Platform: ocispec.Platform{OS: "linux", Architecture: runtime.GOARCH},
		Config:   cfg,
		RootFS:   ocispec.RootFS{Type: "layers"},
	}
	manifest := ocispec.Manifest{
		Versioned: specsgo.Versioned{SchemaVersion: 2},
		MediaType: ocispec.MediaTypeImageManifest,
	}
	if base != nil {
		config.RootFS.DiffIDs = append(config.RootFS.DiffIDs, base.Config.RootFS.DiffIDs...)
		config.History = append(config.History, base.Config.History...)
		manifest.Layers = append(manifest.Layers, base.Manifest.Layers...)
	}
	for _, l := range layers {
		config.RootFS.DiffIDs = append(config.RootFS.DiffIDs, l.DiffID)
		config.History = append(config.History, l.History)
		manifest.Layers = append(manifest.Layers, l.Descriptor)
	}

	var err error
	manifest.Config, err = s.content.PutJSON(ctx, ocispec.MediaTypeImageConfig, config)
	if err != nil {
		return nil, err
	}
	d, err := s.content.PutJSON(ctx, ocispec.MediaTypeImageManifest, manifest)
	if err != nil {
		return nil, err
	}
	if err := s.SetRef(ref, d); err != nil {
		return nil, err
	}
	return &Image{Ref: ref, Descriptor: d, Manifest: manifest, Config: config}, nil
}
