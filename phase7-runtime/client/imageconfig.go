package client

import (
	"context"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// InspectImage returns an image of the daemon's store with its
// settings, layers and history.
func (c *Client) InspectImage(ctx context.Context, ref string) (*api.ImageDetail, error) {
	var out api.ImageDetail
	err := c.call(ctx, http.MethodGet, "/images/"+url.PathEscape(ref)+"/json", nil, nil, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CommitWithConfig is Commit with the new image's settings given in
// full by cfg instead of kept from the container's image.
func (c *Client) CommitWithConfig(ctx context.Context, id, ref, message string,
	cfg api.ImageConfig) (*api.Image, error) {
	var out api.Image
	err := c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/commit", nil,
		api.CommitRequest{Ref: ref, Message: message, Config: &cfg}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// TagWithConfig names target a new image of source's layers with the
// settings cfg, adding no layer, and returns it. Unlike Tag, target is
// then a different image from source, with a digest of its own.
func (c *Client) TagWithConfig(ctx context.Context, source, target string,
	cfg api.ImageConfig) (*api.Image, error) {
	var out api.Image
	err := c.call(ctx, http.MethodPost, "/images/tag", nil,
		api.TagRequest{Source: source, Target: target, Config: &cfg}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
