package client

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// Stats returns the latest resource sample of a running container.
func (c *Client) Stats(ctx context.Context, id string) (*api.Stats, error) {
	var out api.Stats
	err := c.call(ctx, http.MethodGet, "/containers/"+url.PathEscape(id)+"/stats", nil, nil,
		&out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// StatsStream calls fn with each new sample of a container until the
// container stops or ctx ends.
func (c *Client) StatsStream(ctx context.Context, id string, fn func(api.Stats)) error {
	q := url.Values{"stream": {"1"}}
	resp, err := c.do(ctx, http.MethodGet, "/containers/"+url.PathEscape(id)+"/stats", q, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return follow(ctx, resp.Body, "stats", fn)
}

// Metrics returns the daemon's metrics in the Prometheus text format.
func (c *Client) Metrics(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://shibafud/metrics", nil)
	if err != nil {
		return "", err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return "", c.dialError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", responseError(resp)
	}
	data, err := io.ReadAll(resp.Body)
	return string(data), err
}
