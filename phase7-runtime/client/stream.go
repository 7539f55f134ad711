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
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// LogOptions select what Logs returns.
type LogOptions struct {
	// Follow streams new output until the container exits or ctx ends.
	Follow bool
	// Tail returns only the last Tail lines, both streams counted
	// together; negative means all.
	Tail int
	// Since returns only the lines logged at or after it; zero means
	// all.
	Since time.Time
	// Timestamps starts every line with its time (RFC 3339).
	Timestamps bool
}

// Logs copies a container's output to stdout and stderr.
func (c *Client) Logs(ctx context.Context, id string, opts LogOptions,
	stdout, stderr io.Writer) error {
	q := url.Values{"follow": {strconv.FormatBool(opts.Follow)}}
	if opts.Tail >= 0 {
		q.Set("tail", strconv.Itoa(opts.Tail))
	}
	if !opts.Since.IsZero() {
		q.Set("since", opts.Since.Format(time.RFC3339Nano))
	}
	if opts.Timestamps {
		q.Set("timestamps", "true")
	}
	resp, err := c.do(ctx, http.MethodGet, "/containers/"+url.PathEscape(id)+"/logs", q, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = copyFrames(resp.Body, stdout, stderr)
	if ctx.Err() != nil {
		return nil // the caller stopped following
	}
	return err
}

// Exec runs a command in a running container, copies its output to
// stdout and stderr as it comes, and returns its exit code.
func (c *Client) Exec(ctx context.Context, id string, req api.ExecRequest,
	stdout, stderr io.Writer) (int, error) {
	resp, err := c.do(ctx, http.MethodPost, "/containers/"+url.PathEscape(id)+"/exec", nil, req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	exit, err := copyFrames(resp.Body, stdout, stderr)
	if err != nil {
		return 0, err
	}
	if exit == nil {
		return 0, errors.New("exec: the daemon did not report an exit code")
	}
	return *exit, nil
}

// copyFrames writes the frames of a stream to their writers and returns
// the exit code of the last frame, if it has one.
func copyFrames(r io.Reader, stdout, stderr io.Writer) (*int, error) {
	dec := json.NewDecoder(r)
	for {
		var f api.Frame
		if err := dec.Decode(&f); errors.Is(err, io.EOF) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("read stream: %w", err)
		}
		switch {
		case f.Error != "":
			return nil, errors.New(f.Error)
		case f.Exit != nil:
			return f.Exit, nil
		case f.Stream == api.Stderr:
			stderr.Write(f.Data)
		case f.Stream == api.Stdout:
			stdout.Write(f.Data)
		}
	}
}

// follow decodes a stream of JSON values of type T from r and calls fn
// with each, until the stream ends or ctx does; what names the stream
// in errors.
func follow[T any](ctx context.Context, r io.Reader, what string, fn func(T)) error {
	dec := json.NewDecoder(r)
	for {
		var v T
		if err := dec.Decode(&v); errors.Is(err, io.EOF) || ctx.Err() != nil {
			return nil
		} else if err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		fn(v)
	}
}
