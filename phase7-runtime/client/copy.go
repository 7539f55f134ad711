package client

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// CopyFrom returns a tar stream of the file or tree at path in a
// container; the caller closes it.
func (c *Client) CopyFrom(ctx context.Context, id, path string) (io.ReadCloser, error) {
	resp, err := c.do(ctx, http.MethodGet, "/containers/"+url.PathEscape(id)+"/archive",
		url.Values{"path": {path}}, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// CopyTo sends the tar stream r to path in a container: into it if it
// is a directory, else as it.
func (c *Client) CopyTo(ctx context.Context, id, path string, r io.Reader) error {
	u := "http://shibafud" + api.Version + "/containers/" + url.PathEscape(id) + "/archive?" +
		url.Values{"path": {path}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-tar")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return c.dialError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return responseError(resp)
	}
	return nil
}
