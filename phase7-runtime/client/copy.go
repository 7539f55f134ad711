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
	return c.putArchive(ctx, id, url.Values{"path": {path}}, r)
}

// CopyToDir sends the tar stream r into the directory dir in a
// container, making dir and its missing parents first: the entries
// land below dir whether it existed or not, as with a Dockerfile's COPY.
// It works on a created container that has not started yet.
func (c *Client) CopyToDir(ctx context.Context, id, dir string, r io.Reader) error {
	return c.putArchive(ctx, id, url.Values{"path": {dir}, "mkdir": {"true"}}, r)
}

// putArchive PUTs a tar stream to a container's archive route.
func (c *Client) putArchive(ctx context.Context, id string, q url.Values, r io.Reader) error {
	u := "http://shibafud" + api.Version + "/containers/" + url.PathEscape(id) + "/archive?" +
		q.Encode()
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
