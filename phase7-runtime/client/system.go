package client

import (
	"context"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// Info describes the daemon.
func (c *Client) Info(ctx context.Context) (*api.Info, error) {
	var out api.Info
	if err := c.call(ctx, http.MethodGet, "/info", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Images lists the daemon's images.
func (c *Client) Images(ctx context.Context) ([]api.Image, error) {
	var out []api.Image
	err := c.call(ctx, http.MethodGet, "/images", nil, nil, &out)
	return out, err
}

// BuildBase makes a busybox base image named ref.
func (c *Client) BuildBase(ctx context.Context, ref string) (*api.Image, error) {
	var out api.Image
	err := c.call(ctx, http.MethodPost, "/images/build-base", nil,
		api.BuildBaseRequest{Ref: ref}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateNetwork makes a network.
func (c *Client) CreateNetwork(ctx context.Context, name, subnet string) (*api.Network, error) {
	var out api.Network
	err := c.call(ctx, http.MethodPost, "/networks", nil,
		api.NetworkCreateRequest{Name: name, Subnet: subnet}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Networks lists the networks.
func (c *Client) Networks(ctx context.Context) ([]api.Network, error) {
	var out []api.Network
	err := c.call(ctx, http.MethodGet, "/networks", nil, nil, &out)
	return out, err
}

// InspectNetwork describes a network and the containers on it.
func (c *Client) InspectNetwork(ctx context.Context, name string) (*api.Network, error) {
	var out api.Network
	err := c.call(ctx, http.MethodGet, "/networks/"+url.PathEscape(name), nil, nil, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Connect joins a running container to a network.
func (c *Client) Connect(ctx context.Context, network, container string) error {
	return c.call(ctx, http.MethodPost, "/networks/"+url.PathEscape(network)+"/connect", nil,
		api.ConnectRequest{Container: container}, nil)
}

// Disconnect takes a running container off a network.
func (c *Client) Disconnect(ctx context.Context, network, container string) error {
	return c.call(ctx, http.MethodPost, "/networks/"+url.PathEscape(network)+"/disconnect",
		nil, api.ConnectRequest{Container: container}, nil)
}

// RemoveNetwork removes a network.
func (c *Client) RemoveNetwork(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodDelete, "/networks/"+url.PathEscape(name), nil, nil, nil)
}
