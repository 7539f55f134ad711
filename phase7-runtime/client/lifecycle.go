package client

import (
	"context"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// Create makes a container without starting it.
func (c *Client) Create(ctx context.Context, req api.RunRequest) (*api.Container, error) {
	var out api.Container
	if err := c.call(ctx, http.MethodPost, "/containers/create", nil, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Start starts a created or exited container.
func (c *Client) Start(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/start", nil, nil,
		nil)
}

// Restart stops a container (SIGKILL after timeout seconds, nil for the
// daemon's default) and starts it again.
func (c *Client) Restart(ctx context.Context, id string, timeout *int) error {
	return c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/restart", nil,
		api.StopRequest{Timeout: timeout}, nil)
}

// Wait blocks until a container exits and returns how it ended.
func (c *Client) Wait(ctx context.Context, id string) (*api.WaitResponse, error) {
	var out api.WaitResponse
	err := c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/wait", nil, nil,
		&out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Rename gives a container a new name.
func (c *Client) Rename(ctx context.Context, id, name string) error {
	return c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/rename", nil,
		api.RenameRequest{Name: name}, nil)
}

// Commit makes an image named ref of a container's changes.
func (c *Client) Commit(ctx context.Context, id, ref, message string) (*api.Image, error) {
	var out api.Image
	err := c.call(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/commit", nil,
		api.CommitRequest{Ref: ref, Message: message}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Top lists a container's processes.
func (c *Client) Top(ctx context.Context, id string) (*api.Top, error) {
	var out api.Top
	err := c.call(ctx, http.MethodGet, "/containers/"+url.PathEscape(id)+"/top", nil, nil, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Events calls fn with each lifecycle event until ctx ends or the daemon
// stops.
func (c *Client) Events(ctx context.Context, fn func(api.Event)) error {
	resp, err := c.do(ctx, http.MethodGet, "/events", nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return follow(ctx, resp.Body, "events", fn)
}
