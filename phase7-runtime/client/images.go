package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

// Pull fetches an image from a registry into the daemon's store, calling
// progress (if not nil) as its blobs come.
func (c *Client) Pull(ctx context.Context, ref string, progress func(api.Progress)) (
	*api.Image, error) {
	return c.transfer(ctx, "/images/pull", ref, progress)
}

// Push sends an image of the daemon's store to the registry its name
// names, calling progress (if not nil) as its blobs go.
func (c *Client) Push(ctx context.Context, ref string, progress func(api.Progress)) (
	*api.Image, error) {
	return c.transfer(ctx, "/images/push", ref, progress)
}

// transfer reads the progress stream of a pull or push.
func (c *Client) transfer(ctx context.Context, path, ref string, progress func(api.Progress)) (
	*api.Image, error) {
	resp, err := c.do(ctx, http.MethodPost, path, nil, api.ImageRequest{Ref: ref})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var p api.Progress
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("read progress: %w", err)
		}
		switch {
		case p.Error != "":
			return nil, errors.New(p.Error)
		case p.Image != nil:
			return p.Image, nil
		case progress != nil:
			progress(p)
		}
	}
}

// Tag gives the image source the further name target.
func (c *Client) Tag(ctx context.Context, source, target string) error {
	return c.call(ctx, http.MethodPost, "/images/tag", nil,
		api.TagRequest{Source: source, Target: target}, nil)
}

// RemoveImage drops an image's name from the daemon's store.
func (c *Client) RemoveImage(ctx context.Context, ref string) error {
	return c.call(ctx, http.MethodPost, "/images/remove", nil, api.ImageRequest{Ref: ref}, nil)
}
