package dns

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Client calls the registration API of a running shibafu-dns server.
type Client struct {
	// Addr is the API's address; empty means DefaultAPIAddr.
	Addr string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
}

// Put adds r to the server's zone, or replaces the record with the same
// network and name.
func (c *Client) Put(ctx context.Context, r Record) error {
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("put record: %w", err)
	}
	return c.do(ctx, http.MethodPut, recordPath(r.Network, r.Name), body, nil)
}

// Delete removes the record of name on network.
func (c *Client) Delete(ctx context.Context, network, name string) error {
	return c.do(ctx, http.MethodDelete, recordPath(network, name), nil, nil)
}

// List returns the records of network, or of every network when it is
// empty.
func (c *Client) List(ctx context.Context, network string) ([]Record, error) {
	path := "/v1/records"
	if network != "" {
		path += "?network=" + url.QueryEscape(network)
	}
	var list []Record
	if err := c.do(ctx, http.MethodGet, path, nil, &list); err != nil {
		return nil, err
	}
	return list, nil
}

func recordPath(network, name string) string {
	return "/v1/records/" + url.PathEscape(network) + "/" + url.PathEscape(name)
}

// do sends one request and decodes the JSON answer into out. An error
// status becomes an error wrapping ErrInvalid or ErrNotFound, so that
// callers can tell them apart with errors.Is.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	addr := c.Addr
	if addr == "" {
		addr = DefaultAPIAddr
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+path,
		bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: is shibafu-dns serve running? %w", method, path, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode >= 300 {
		var e apiError
		json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&e)
		return fmt.Errorf("%s %s: %w", method, path, categoryOf(resp.StatusCode, e.Error))
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// categoryOf turns an API error back into the error category of
// statusOf, keeping the server's message.
func categoryOf(status int, msg string) error {
	switch status {
	case http.StatusBadRequest:
		return &remoteError{msg, ErrInvalid}
	case http.StatusNotFound:
		return &remoteError{msg, ErrNotFound}
	}
	return fmt.Errorf("server said %d: %s", status, msg)
}

// remoteError is an error the server reported: its message, and the
// category it unwraps to.
type remoteError struct {
	msg      string
	category error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.category }
