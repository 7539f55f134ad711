package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"

	"shibafu.dev/phase7-runtime/api"
)

// DefaultSocket is where shibafud listens unless told otherwise.
const DefaultSocket = "/run/shibafu/shibafu.sock"

// Client talks to one daemon. Its zero value uses DefaultSocket; it is
// safe for concurrent use.
type Client struct {
	// Socket is the path of the daemon's unix socket.
	Socket string
	// TCP, if set, is the HOST:PORT the daemon serves the API on with
	// TLS (shibafud --tls-listen), used instead of Socket; TLS must then
	// hold the CA and the client certificate (see TLSConfig).
	TCP string
	TLS *tls.Config

	once sync.Once
	hc   *http.Client
}

func (c *Client) socket() string {
	if c.Socket == "" {
		return DefaultSocket
	}
	return c.Socket
}

// httpClient returns an HTTP client whose every connection is to the
// socket, whatever host the URL names.
func (c *Client) httpClient() *http.Client {
	c.once.Do(func() {
		c.hc = &http.Client{Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return c.dial(ctx)
			},
		}}
	})
	return c.hc
}

// do sends a request with an optional JSON body and returns the
// response if its status is 2xx; otherwise the API error it carries.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any) (
	*http.Response, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(data)
	}
	u := "http://shibafud" + api.Version + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, c.dialError(err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, responseError(resp)
	}
	return resp, nil
}

// call does a request and decodes the JSON response into out, if any.
func (c *Client) call(ctx context.Context, method, path string, query url.Values,
	body, out any) error {
	resp, err := c.do(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// dialError explains why the daemon could not be reached.
func (c *Client) dialError(err error) error {
	switch {
	case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ECONNREFUSED):
		return api.WithCategory(api.ErrUnavailable, fmt.Errorf(
			"daemon not running at %s: start shibafud (or point --host at its socket)",
			c.where()))
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return api.WithCategory(api.ErrUnavailable, fmt.Errorf(
			"permission denied on %s: run as root", c.where()))
	}
	return fmt.Errorf("talk to shibafud at %s: %w", c.where(), err)
}

// responseError turns an error response into an error of its category.
func responseError(resp *http.Response) error {
	var e api.Error
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Message == "" {
		e.Message = resp.Status
	}
	err := errors.New(e.Message)
	if category := api.Category(resp.StatusCode); category != nil {
		return api.WithCategory(category, err)
	}
	return err
}
