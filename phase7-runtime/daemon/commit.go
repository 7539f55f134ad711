package daemon

import (
	"context"
	"errors"
	"fmt"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"

	"shibafu.dev/phase7-runtime/api"
)

// Commit makes an image named ref of a container's changes, like
// `docker commit`: its snapshot's upper directory becomes one more
// layer on top of its image (phase 3), with the image's settings or
// those of req.Config. A running container is frozen (the freezer
// cgroup, `docker pause`) for the time it takes, so that no file is
// caught half written.
func (d *Daemon) Commit(ctx context.Context, idOrName string, req api.CommitRequest) (
	_ *api.Image, err error) {
	ref := req.Ref
	if err := image.ValidateRef(ref); err != nil {
		return nil, categorize(err)
	}
	opts := snapshot.CommitOptions{Message: req.Message}
	if req.Config != nil {
		if err := checkImageConfig(*req.Config); err != nil {
			return nil, err
		}
		cfg := ociConfig(*req.Config)
		opts.Config = &cfg
	}
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, err
	}
	unlock := d.lock(rec.ID)
	defer unlock()

	if err := d.containers.Pause(rec.ID); err == nil {
		defer func() { err = errors.Join(err, d.containers.Resume(rec.ID)) }()
	} else if !errors.Is(err, container.ErrNotRunning) && !errors.Is(err, container.ErrNotFound) {
		return nil, categorize(fmt.Errorf("commit %s: pause: %w", rec.Name, err))
	}
	img, err := d.snapshots.Commit(ctx, rec.ID, ref, opts)
	if err != nil {
		return nil, categorize(fmt.Errorf("commit %s: %w", rec.Name, err))
	}
	d.log.Info("committed a container", "id", rec.ID, "name", rec.Name, "ref", ref,
		"digest", img.Descriptor.Digest)
	v := imageView(img)
	return &v, nil
}
