package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"shibafu.dev/phase7-runtime/api"
)

// Run creates and starts a container.
func (c *Client) Run(ctx context.Context, req api.RunRequest) (*api.Container, error) {
	var out api.Container
	if err := c.call(ctx, http.MethodPost, "/containers", nil, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the running containers, or with all every one.
func (c *Client) List(ctx context.Context, all bool) ([]api.Container, error) {
	var out []api.Container
	q := url.Values{"all": {strconv.FormatBool(all)}}
	err := c.call(ctx, http.MethodGet, "/containers", q, nil, &out)
	return out, err
}

// Inspect returns one container, by ID or name.
func (c *Client) Inspect(ctx context.Context, id string) (*api.Container, error) {
	var out api.Container
	if err := c.call(ctx, http.MethodGet, "/containers/"+url.PathEscape(id), nil, nil,
		&out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Stop stops a container: SIGTERM, then SIGKILL after timeout seconds
// (nil for the daemon's default).
func (c *Client) Stop(ctx context.Context, id string, timeout *int) error {
	return c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/stop", nil,
		api.StopRequest{Timeout: timeout}, nil)
}

// Kill sends a signal ("" for KILL) to a container.
func (c *Client) Kill(ctx context.Context, id, signal string) error {
	return c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/kill", nil,
		api.KillRequest{Signal: signal}, nil)
}

// Remove removes a container; force kills a running one first.
func (c *Client) Remove(ctx context.Context, id string, force bool) error {
	q := url.Values{"force": {strconv.FormatBool(force)}}
	return c.call(ctx, http.MethodDelete, "/containers/"+url.PathEscape(id), q, nil, nil)
}
