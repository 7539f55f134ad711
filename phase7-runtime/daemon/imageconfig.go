package daemon

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/image"

	"shibafu.dev/phase7-runtime/api"
)

// InspectImage returns an image of the store with its settings, layers
// and history, like `docker image inspect`.
func (d *Daemon) InspectImage(ctx context.Context, ref string) (*api.ImageDetail, error) {
	img, err := d.images.Get(ref)
	if err != nil {
		return nil, categorize(fmt.Errorf("image %s: %w", ref, err))
	}
	v := &api.ImageDetail{
		Image:  imageView(img),
		Config: apiConfig(img.Config.Config),
		Layers: []string{},
	}
	if v.Ref == "" {
		v.Ref = ref
	}
	for _, id := range img.Config.RootFS.DiffIDs {
		v.Layers = append(v.Layers, id.String())
	}
	for _, h := range img.Config.History {
		e := api.ImageHistory{CreatedBy: h.CreatedBy, Comment: h.Comment,
			EmptyLayer: h.EmptyLayer}
		if h.Created != nil {
			e.Created = h.Created.Format(time.RFC3339)
		}
		v.History = append(v.History, e)
	}
	return v, nil
}

// TagConfig names target a new image made of source's layers with the
// settings cfg, adding no layer: what a Dockerfile step that changes
// only the settings (ENV, CMD, EXPOSE, ...) makes.
func (d *Daemon) TagConfig(ctx context.Context, source, target string, cfg api.ImageConfig) (
	*api.Image, error) {
	if err := image.ValidateRef(target); err != nil {
		return nil, categorize(err)
	}
	if err := checkImageConfig(cfg); err != nil {
		return nil, err
	}
	base, err := d.images.Get(source)
	if err != nil {
		return nil, categorize(fmt.Errorf("tag %s %s: %w", source, target, err))
	}
	img, err := d.images.Create(ctx, target, base, ociConfig(cfg))
	if err != nil {
		return nil, categorize(fmt.Errorf("tag %s %s: %w", source, target, err))
	}
	d.log.Info("made an image of new settings", "source", source, "ref", target,
		"digest", img.Descriptor.Digest)
	v := imageView(img)
	return &v, nil
}

// checkImageConfig refuses settings no container could start with.
func checkImageConfig(c api.ImageConfig) error {
	for _, p := range c.ExposedPorts {
		port, proto, _ := strings.Cut(p, "/")
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 || (proto != "" && proto != "tcp" && proto != "udp") {
			return invalid(fmt.Errorf("exposed port %q: want PORT[/tcp|/udp]", p))
		}
	}
	for _, e := range c.Env {
		if name, _, _ := strings.Cut(e, "="); name == "" {
			return invalid(fmt.Errorf("env %q: want NAME=value", e))
		}
	}
	return nil
}

// apiConfig turns the OCI image settings into the API's.
func apiConfig(c ocispec.ImageConfig) api.ImageConfig {
	v := api.ImageConfig{
		Env: c.Env, Entrypoint: c.Entrypoint, Cmd: c.Cmd,
		WorkingDir: c.WorkingDir, User: c.User, Labels: c.Labels,
	}
	v.ExposedPorts = slices.Sorted(maps.Keys(c.ExposedPorts))
	return v
}

// ociConfig turns the API's image settings into the OCI ones.
func ociConfig(c api.ImageConfig) ocispec.ImageConfig {
	v := ocispec.ImageConfig{
		Env: c.Env, Entrypoint: c.Entrypoint, Cmd: c.Cmd,
		WorkingDir: c.WorkingDir, User: c.User, Labels: c.Labels,
	}
	for _, p := range c.ExposedPorts {
		if v.ExposedPorts == nil {
			v.ExposedPorts = map[string]struct{}{}
		}
		v.ExposedPorts[p] = struct{}{}
	}
	return v
}
