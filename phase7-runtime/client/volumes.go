package client

import (
	"context"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// CreateVolume makes a named volume.
func (c *Client) CreateVolume(ctx context.Context, name string) (*api.Volume, error) {
	var out api.Volume
	err := c.call(ctx, http.MethodPost, "/volumes", nil, api.VolumeCreateRequest{Name: name}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Volumes lists the named volumes.
func (c *Client) Volumes(ctx context.Context) ([]api.Volume, error) {
	var out []api.Volume
	err := c.call(ctx, http.MethodGet, "/volumes", nil, nil, &out)
	return out, err
}

// RemoveVolume removes a named volume that no container mounts.
func (c *Client) RemoveVolume(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodDelete, "/volumes/"+url.PathEscape(name), nil, nil, nil)
}
