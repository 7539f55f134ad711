package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"shibafu.dev/phase3-overlay/image"
	regclient "shibafu.dev/phase5-registry/client"
	"shibafu.dev/phase5-registry/reference"

	"shibafu.dev/phase7-runtime/api"
)

// progressInterval is the least time between two progress reports of
// one blob; the last one, at 100%, always goes.
const progressInterval = 100 * time.Millisecond

// Pull fetches an image from its registry into the store (the phase 5
// client, which checks every blob against its digest), naming it ref
// exactly as given, so that `run REF` finds it. Progress goes to send as
// the blobs come.
func (d *Daemon) Pull(ctx context.Context, ref string,
	send func(api.Progress) error) (*api.Image, error) {
	src, err := reference.Parse(ref)
	if err != nil {
		return nil, invalid(err)
	}
	if _, err := d.registry(send).Pull(ctx, d.images, src, ref); err != nil {
		return nil, registryError("pull", ref, err)
	}
	img, err := d.images.Get(ref)
	if err != nil {
		return nil, categorize(err)
	}
	d.log.Info("pulled an image", "ref", ref, "digest", img.Descriptor.Digest)
	v := imageView(img)
	return &v, nil
}

// Push sends the image of the store named ref to the registry ref
// names, like `docker push`: name it first with Tag.
func (d *Daemon) Push(ctx context.Context, ref string,
	send func(api.Progress) error) (*api.Image, error) {
	dst, err := reference.Parse(ref)
	if err != nil {
		return nil, invalid(err)
	}
	img, err := d.images.Get(ref)
	if err != nil {
		return nil, notFound(fmt.Errorf("image %s: not in the store (name it first:"+
			" shibafu tag IMAGE %s)", ref, ref))
	}
	if _, err := d.registry(send).Push(ctx, d.images, ref, dst); err != nil {
		return nil, registryError("push", ref, err)
	}
	d.log.Info("pushed an image", "ref", ref, "digest", img.Descriptor.Digest)
	v := imageView(img)
	return &v, nil
}

// Tag gives the image source the further name target.
func (d *Daemon) Tag(ctx context.Context, source, target string) error {
	if err := d.images.Tag(source, target); err != nil {
		return categorize(fmt.Errorf("tag %s %s: %w", source, target, err))
	}
	return nil
}

// RemoveImage drops a name from the store, like `docker rmi`. The
// layers stay on disk while containers' snapshots use them.
func (d *Daemon) RemoveImage(ctx context.Context, ref string) error {
	if _, err := d.images.Resolve(ref); err != nil {
		return categorize(fmt.Errorf("rmi %s: %w", ref, err))
	}
	if err := d.images.Remove(ref); err != nil {
		return categorize(fmt.Errorf("rmi %s: %w", ref, err))
	}
	d.log.Info("removed an image", "ref", ref)
	return nil
}

// registry returns a phase 5 client that reports each blob's progress
// to send, at most every progressInterval per blob.
func (d *Daemon) registry(send func(api.Progress) error) *regclient.Client {
	var mu sync.Mutex // the client moves several blobs at once
	last := map[string]time.Time{}
	return &regclient.Client{Progress: func(digest string, done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		if done < total && time.Since(last[digest]) < progressInterval {
			return
		}
		last[digest] = time.Now()
		send(api.Progress{Digest: digest, Done: done, Total: total})
	}}
}

// registryError puts a registry's answer in an API category: a missing
// repository or tag is not found, and the rest keeps its message.
func registryError(op, ref string, err error) error {
	err = fmt.Errorf("%s %s: %w", op, ref, err)
	var re *regclient.ResponseError
	switch {
	case errors.As(err, &re) && re.Status == http.StatusNotFound:
		return notFound(err)
	case errors.Is(err, reference.ErrInvalid), errors.Is(err, image.ErrInvalidRef):
		return invalid(err)
	}
	return err
}
