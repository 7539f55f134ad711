package daemon

import (
	"context"
	"strings"

	"github.com/opencontainers/go-digest"

	"shibafu.dev/phase5-registry/reference"

	"shibafu.dev/phase7-runtime/api"
)

// ensurePinned makes sure that an image named by digest,
// NAME@sha256:HEX as a release records it, is in the store under that
// very name, so that the rest of a run finds it like any other. The
// manifest may already be in the store under another name (the image
// that was built and pushed): it is named again, nothing is fetched.
// Otherwise it is pulled by digest from the registry host of NAME (the
// distribution spec's GET /v2/NAME/manifests/DIGEST), which checks what
// it fetches against the digest. Other names are left alone.
func (d *Daemon) ensurePinned(ctx context.Context, ref string) error {
	_, dig, ok := strings.Cut(ref, "@")
	if !ok || digest.Digest(dig).Validate() != nil {
		return nil
	}
	if _, err := d.images.Resolve(ref); err == nil {
		return nil
	}
	if desc, err := d.images.Resolve(dig); err == nil {
		return categorize(d.images.SetRef(ref, desc))
	}
	if local, err := d.images.Get(dig); err == nil {
		return categorize(d.images.SetRef(ref, local.Descriptor))
	}

	src, err := reference.Parse(ref)
	if err != nil {
		return invalid(err)
	}
	quiet := func(api.Progress) error { return nil }
	if _, err := d.registry(quiet).Pull(ctx, d.images, src, ref); err != nil {
		return registryError("pull", ref, err)
	}
	d.log.Info("pulled an image by digest", "ref", ref)
	return nil
}
