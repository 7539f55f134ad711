package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"shibafu.dev/phase7-runtime/api"
)

// ListFiltered returns the containers that pass filters (see
// api.Filters), running ones only unless all is set or a status filter
// is given.
func (c *Client) ListFiltered(ctx context.Context, all bool, filters api.Filters) (
	[]api.Container, error) {
	var out []api.Container
	q := url.Values{"all": {strconv.FormatBool(all)}}
	for _, f := range filters.Args() {
		q.Add("filter", f)
	}
	err := c.call(ctx, http.MethodGet, "/containers", q, nil, &out)
	return out, err
}

// EventsFiltered calls fn with each lifecycle event that passes filters
// until ctx ends or the daemon stops.
func (c *Client) EventsFiltered(ctx context.Context, filters api.Filters,
	fn func(api.Event)) error {
	q := url.Values{}
	for _, f := range filters.Args() {
		q.Add("filter", f)
	}
	resp, err := c.do(ctx, http.MethodGet, "/events", q, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return follow(ctx, resp.Body, "events", fn)
}
