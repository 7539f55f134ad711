package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase5-registry/reference"
)

// pushBlob makes the blob desc present in ref's repository, reading it
// from r when it has to be sent: HEAD first (end-2), then an anonymous
// mount (end-11), then an upload that resumes where a failed attempt
// stopped.
func (c *Client) pushBlob(ctx context.Context, ref reference.Reference,
	desc ocispec.Descriptor, r io.ReaderAt) error {
	d := desc.Digest.String()
	resp, err := c.do(ctx, http.MethodHead, c.repoURL(ref, "blobs/"+d), nil, nil,
		http.StatusOK, http.StatusNotFound)
	if err != nil {
		return fmt.Errorf("check blob %s: %w", d, err)
	}
	drain(resp)
	if resp.StatusCode == http.StatusOK {
		c.report(d, desc.Size, desc.Size)
		return nil
	}

	loc, mounted, err := c.startUpload(ctx, ref, d)
	if err != nil || mounted {
		return err
	}
	var offset int64
	for attempt := 1; ; attempt++ {
		err = c.sendFrom(ctx, loc, desc, r, offset)
		if err == nil || attempt >= c.attempts() || ctx.Err() != nil {
			if err != nil {
				return fmt.Errorf("upload blob %s: %w", d, err)
			}
			return nil
		}
		// Resume: ask the registry how much it has (end-13), or start over.
		if loc, offset, err = c.uploadStatus(ctx, ref, loc); err != nil {
			return fmt.Errorf("resume blob %s: %w", d, err)
		}
	}
}

// startUpload opens an upload session with POST ?mount=<digest>; a
// registry that holds the blob elsewhere answers 201 and links it.
func (c *Client) startUpload(ctx context.Context, ref reference.Reference, d string) (
	loc string, mounted bool, err error) {
	url := c.repoURL(ref, "blobs/uploads/")
	if d != "" {
		url += "?mount=" + d
	}
	resp, err := c.do(ctx, http.MethodPost, url, nil, http.Header{"Content-Length": {"0"}},
		http.StatusCreated, http.StatusAccepted)
	if err != nil {
		return "", false, fmt.Errorf("start upload of %s: %w", d, err)
	}
	drain(resp)
	if resp.StatusCode == http.StatusCreated {
		return "", true, nil
	}
	loc, err = resolveLocation(resp)
	return loc, false, err
}

// sendFrom sends the blob from offset in one PATCH (end-5) and closes
// the upload with PUT ?digest= (end-6).
func (c *Client) sendFrom(ctx context.Context, loc string, desc ocispec.Descriptor,
	r io.ReaderAt, offset int64) error {
	d := desc.Digest.String()
	if rest := desc.Size - offset; rest > 0 {
		body := &counter{r: io.NewSectionReader(r, offset, rest), done: offset,
			total: desc.Size, report: func(n, t int64) { c.report(d, n, t) }}
		h := http.Header{
			"Content-Type":   {"application/octet-stream"},
			"Content-Length": {strconv.FormatInt(rest, 10)},
			"Content-Range":  {fmt.Sprintf("%d-%d", offset, desc.Size-1)},
		}
		resp, err := c.do(ctx, http.MethodPatch, loc, body, h, http.StatusAccepted)
		if err != nil {
			return err
		}
		drain(resp)
		if loc, err = resolveLocation(resp); err != nil {
			return err
		}
	}
	resp, err := c.do(ctx, http.MethodPut, withQuery(loc, "digest", d), nil,
		http.Header{"Content-Length": {"0"}}, http.StatusCreated)
	if err != nil {
		return err
	}
	drain(resp)
	c.report(d, desc.Size, desc.Size)
	return nil
}

// uploadStatus asks where an upload stands: its URL and the number of
// bytes received. An upload the registry forgot is started anew.
func (c *Client) uploadStatus(ctx context.Context, ref reference.Reference, loc string) (
	string, int64, error) {
	resp, err := c.do(ctx, http.MethodGet, loc, nil, nil, http.StatusNoContent)
	var re *ResponseError
	if errors.As(err, &re) && re.Status == http.StatusNotFound {
		newLoc, _, err := c.startUpload(ctx, ref, "")
		return newLoc, 0, err
	}
	if err != nil {
		return "", 0, err
	}
	drain(resp)
	if loc, err = resolveLocation(resp); err != nil {
		return "", 0, err
	}
	// Range is "0-<last byte>"; "0-0" is ambiguous (0 or 1 byte), so
	// anything that small restarts the blob from its first byte.
	_, last, _ := strings.Cut(resp.Header.Get("Range"), "-")
	n, err := strconv.ParseInt(last, 10, 64)
	if err != nil || n < 1 {
		return loc, 0, nil
	}
	return loc, n + 1, nil
}

func (c *Client) report(d string, done, total int64) {
	if c.Progress != nil {
		c.Progress(d, done, total)
	}
}

// counter reports the bytes read through it.
type counter struct {
	r           io.Reader
	done, total int64
	report      func(done, total int64)
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	c.report(c.done, c.total)
	return n, err
}
