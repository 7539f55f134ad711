package daemon

import (
	"context"
	"fmt"

	"shibafu.dev/phase3-overlay/image"

	"shibafu.dev/phase7-runtime/api"
)

// Images lists the images of the store (phase 3).
func (d *Daemon) Images(ctx context.Context) ([]api.Image, error) {
	imgs, err := d.images.List()
	if err != nil {
		return nil, err
	}
	out := []api.Image{}
	for _, img := range imgs {
		out = append(out, imageView(img))
	}
	return out, nil
}

// BuildBase makes a busybox image named ref from the host's static
// busybox, the course's base image.
func (d *Daemon) BuildBase(ctx context.Context, ref string) (*api.Image, error) {
	if err := image.ValidateRef(ref); err != nil {
		return nil, categorize(err)
	}
	img, err := d.images.Busybox(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("build-base %s: %w", ref, categorize(err))
	}
	d.log.Info("built a base image", "ref", ref, "digest", img.Descriptor.Digest)
	v := imageView(img)
	return &v, nil
}

func imageView(img *image.Image) api.Image {
	v := api.Image{Ref: img.Ref, Digest: img.Descriptor.Digest.String()}
	for _, l := range img.Manifest.Layers {
		v.Size += l.Size
	}
	if img.Config.Created != nil {
		v.Created = *img.Config.Created
	}
	return v
}
