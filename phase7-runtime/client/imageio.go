package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"shibafu.dev/phase7-runtime/api"
)

// SaveImages writes an OCI archive of the images refs to w.
func (c *Client) SaveImages(ctx context.Context, refs []string, w io.Writer) error {
	resp, err := c.do(ctx, http.MethodGet, "/images/save", url.Values{"ref": refs}, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}

// LoadImages sends the OCI archive r to the daemon and returns the
// images it held.
func (c *Client) LoadImages(ctx context.Context, r io.Reader) ([]api.Image, error) {
	var out []api.Image
	err := c.upload(ctx, "/images/load", nil, r, &out)
	return out, err
}

// ImportImage sends the root filesystem tarball r to the daemon, which
// makes the one-layer image ref of it.
func (c *Client) ImportImage(ctx context.Context, ref string, r io.Reader) (*api.Image, error) {
	var out api.Image
	if err := c.upload(ctx, "/images/import", url.Values{"ref": {ref}}, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// upload POSTs the tar stream r to path and decodes the JSON answer
// into out.
func (c *Client) upload(ctx context.Context, path string, q url.Values, r io.Reader,
	out any) error {
	u := "http://shibafud" + api.Version + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, r)
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
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// DiskUsage tells what images, containers and volumes take on disk.
func (c *Client) DiskUsage(ctx context.Context) (*api.DiskUsage, error) {
	var out api.DiskUsage
	if err := c.call(ctx, http.MethodGet, "/system/df", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Prune removes stopped containers, unused networks and the image data
// nothing uses.
func (c *Client) Prune(ctx context.Context) (*api.PruneReport, error) {
	var out api.PruneReport
	if err := c.call(ctx, http.MethodPost, "/system/prune", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
