package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"shibafu.dev/phase8-paas/api"
)

// LogQuery selects the lines Logs returns.
type LogQuery struct {
	// Follow goes on with new lines until ctx ends.
	Follow bool
	// Tail is how many of the last lines; 0 means the server's default
	// (100), -1 all.
	Tail int
	// Since is a time (RFC 3339) or a duration back from now, such as
	// 10m; empty means no limit.
	Since string
	// Process keeps only the lines of one process type.
	Process string
}

// Logs calls fn with each line of an app's log, oldest first; with
// Follow, it goes on until ctx ends (and then returns nil).
func (c *Client) Logs(ctx context.Context, app string, q LogQuery,
	fn func(api.LogLine)) error {
	v := url.Values{}
	if q.Follow {
		v.Set("follow", "true")
	}
	if q.Tail != 0 {
		v.Set("tail", strconv.Itoa(q.Tail))
	}
	if q.Since != "" {
		v.Set("since", q.Since)
	}
	if q.Process != "" {
		v.Set("ps", q.Process)
	}
	return lines(ctx, c, appPath(app, "/logs?"+v.Encode()), fn)
}

// Events calls fn with an app's recent events, oldest first; with
// follow, it goes on with new ones until ctx ends.
func (c *Client) Events(ctx context.Context, app string, follow bool,
	fn func(api.AppEvent)) error {
	if follow {
		return lines(ctx, c, appPath(app, "/events?follow=true"), fn)
	}
	var evs []api.AppEvent
	if err := c.call(ctx, http.MethodGet, appPath(app, "/events"), nil, &evs); err != nil {
		return err
	}
	for _, ev := range evs {
		fn(ev)
	}
	return nil
}

// lines reads a JSON-lines answer of GET path, calling fn with each
// value, until it ends or ctx does.
func lines[T any](ctx context.Context, c *Client, path string, fn func(T)) error {
	resp, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var v T
		err := dec.Decode(&v)
		switch {
		case errors.Is(err, io.EOF) || ctx.Err() != nil:
			return nil
		case err != nil:
			return fmt.Errorf("GET %s: the stream broke off: %w", path, err)
		}
		fn(v)
	}
}

// Metrics returns an app's recent metrics.
func (c *Client) Metrics(ctx context.Context, app string) (*api.Metrics, error) {
	var m api.Metrics
	return &m, c.call(ctx, http.MethodGet, appPath(app, "/metrics"), nil, &m)
}

// Autoscale returns an app's autoscalers.
func (c *Client) Autoscale(ctx context.Context, app string) ([]api.Autoscale, error) {
	var as []api.Autoscale
	return as, c.call(ctx, http.MethodGet, appPath(app, "/autoscale"), nil, &as)
}

// SetAutoscale sets the autoscaler of a process type; Max 0 turns it
// off.
func (c *Client) SetAutoscale(ctx context.Context, app string, as api.Autoscale) (
	*api.Autoscale, error) {
	var out api.Autoscale
	return &out, c.call(ctx, http.MethodPut, appPath(app, "/autoscale"), as, &out)
}
