package client

import (
	"context"
	"net/http"

	"shibafu.dev/phase8-paas/api"
)

// Domains lists an app's host names with the state of their
// certificates.
func (c *Client) Domains(ctx context.Context, app string) ([]api.Domain, error) {
	var ds []api.Domain
	return ds, c.call(ctx, http.MethodGet, appPath(app, "/domains"), nil, &ds)
}

// SetTLS sets an app's HTTPS options.
func (c *Client) SetTLS(ctx context.Context, app string, s api.TLSSettings) (*api.App, error) {
	var a api.App
	return &a, c.call(ctx, http.MethodPut, appPath(app, "/tls"), s, &a)
}
