// Package client is the Go client of the PaaS's API, which the CLI (and
// a git hook) use. Calls that build or deploy stream their log to a
// function as it comes and return the release at the end.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"shibafu.dev/phase8-paas/api"
)

// DefaultURL is where `shibafu-paas serve` listens unless told otherwise.
const DefaultURL = "http://127.0.0.1:7080"

// Client talks to one PaaS API server. It is safe for concurrent use.
type Client struct {
	// URL is the server's base URL; empty means DefaultURL.
	URL string
	// Token is the API token sent with every call.
	Token string
	// Pusher, sent only by the git hook, names who pushed: the server
	// takes it from the hook's token only.
	Pusher string
	// HTTP is the client to use; nil means one with no timeout (deploys
	// take minutes, and a context bounds a call).
	HTTP *http.Client
}

func (c *Client) base() string {
	if c.URL == "" {
		return DefaultURL
	}
	return strings.TrimSuffix(c.URL, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP == nil {
		return http.DefaultClient
	}
	return c.HTTP
}

// do sends a request and returns the response if its status is 2xx;
// otherwise the API's error, in its category. A JSON body is given as
// any value; a raw one (an upload) as an io.Reader.
func (c *Client) do(ctx context.Context, method, path string, body any) (*http.Response, error) {
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd, contentType = b, "application/gzip"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base()+path, rd)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.Pusher != "" {
		req.Header.Set("X-Shibafu-Pusher", c.Pusher)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, api.WithCategory(api.ErrUnavailable, fmt.Errorf(
				"cannot reach the PaaS at %s: is `shibafu-paas serve` running? (%v)",
				c.base(), op.Err))
		}
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var e api.Error
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e); err != nil ||
		e.Message == "" {
		e.Message = fmt.Sprintf("%s %s: %s", method, path, resp.Status)
	}
	if cat := api.Category(resp.StatusCode); cat != nil {
		return nil, api.WithCategory(cat, errors.New(e.Message))
	}
	return nil, errors.New(e.Message)
}

// call sends a request and decodes a JSON answer into out, if not nil.
func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	resp, err := c.do(ctx, method, path, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	return nil
}

// stream sends a request whose answer is a stream of events; each log
// line goes to logf (if not nil), and the last event is returned.
func (c *Client) stream(ctx context.Context, method, path string, body any,
	logf func(string)) (api.Event, error) {
	resp, err := c.do(ctx, method, path, body)
	if err != nil {
		return api.Event{}, err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var ev api.Event
		if err := dec.Decode(&ev); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return api.Event{}, fmt.Errorf("%s %s: the stream broke off: %w", method, path, err)
		}
		switch {
		case !ev.Done:
			if logf != nil {
				logf(ev.Log)
			}
			continue
		case ev.Error != "":
			return ev, errors.New(ev.Error)
		}
		return ev, nil
	}
}

// releaseOf streams a call that makes a release.
func (c *Client) releaseOf(ctx context.Context, method, path string, body any,
	logf func(string)) (*api.Release, error) {
	ev, err := c.stream(ctx, method, path, body, logf)
	return ev.Release, err
}

func appPath(app string, rest ...string) string {
	return "/v1/apps/" + url.PathEscape(app) + strings.Join(rest, "")
}
