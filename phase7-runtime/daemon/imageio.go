package daemon

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/image"

	"shibafu.dev/phase7-runtime/api"
)

// SaveImages writes the images refs to w as an OCI archive: a tar of an
// OCI image layout (phase 3's Export), which `skopeo copy
// oci-archive:FILE` and `umoci` read, and LoadImages reads back. Every
// ref is checked before the first byte is written.
func (d *Daemon) SaveImages(ctx context.Context, refs []string, w io.Writer) error {
	if len(refs) == 0 {
		return invalid(errors.New("save: no image named"))
	}
	for _, ref := range refs {
		if _, err := d.images.Resolve(ref); err != nil {
			return categorize(fmt.Errorf("save %s: %w", ref, err))
		}
	}
	if err := d.images.Export(ctx, w, refs...); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}

// LoadImages adds the images of an OCI archive read from r to the
// store, under the names the archive gives them, like `docker load`.
// Every blob is checked against its digest; an image is named only once
// all its blobs are in.
func (d *Daemon) LoadImages(ctx context.Context, r io.Reader) ([]api.Image, error) {
	imgs, err := d.images.Import(ctx, r, image.ImportOptions{})
	if err != nil {
		return nil, categorize(fmt.Errorf("load: %w", err))
	}
	out := []api.Image{}
	for _, img := range imgs {
		d.log.Info("loaded an image", "ref", img.Ref, "digest", img.Descriptor.Digest)
		out = append(out, imageView(img))
	}
	return out, nil
}

// ImportImage makes a one-layer image named ref of a root filesystem
// tarball read from r (plain or gzip), like `docker import`. The image
// has no command of its own: `run` must name one.
func (d *Daemon) ImportImage(ctx context.Context, ref string, r io.Reader) (*api.Image, error) {
	if err := image.ValidateRef(ref); err != nil {
		return nil, categorize(fmt.Errorf("import: %w", err))
	}
	img, err := d.images.FromTar(ctx, ref, r, ocispec.ImageConfig{})
	if errors.Is(err, tar.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, invalid(fmt.Errorf("import %s: not a tar archive: %w", ref, err))
	}
	if err != nil {
		return nil, categorize(fmt.Errorf("import %s: %w", ref, err))
	}
	d.log.Info("imported an image", "ref", ref, "digest", img.Descriptor.Digest)
	v := imageView(img)
	return &v, nil
}
