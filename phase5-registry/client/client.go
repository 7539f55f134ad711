package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"shibafu.dev/phase5-registry/reference"
)

// Client talks to registries. The zero value works: it uses plain HTTP
// for loopback hosts and HTTPS for others, no credentials, four
// transfers at a time and three attempts per transfer.
type Client struct {
	// HTTP sends the requests; nil means a client with sane timeouts.
	HTTP *http.Client
	// PlainHTTP uses http:// for every host, not only loopback ones.
	PlainHTTP bool
	// Username and Password are sent as basic credentials when set.
	Username, Password string
	// Parallel is how many blobs move at once; 0 means 4.
	Parallel int
	// Attempts is how many times a transfer is tried; 0 means 3.
	Attempts int
	// Progress, if set, hears how each blob transfer is going.
	Progress Progress
}

// Progress is told that done of total bytes of a blob have moved. It
// may be called from several goroutines at once.
type Progress func(digest string, done, total int64)

// ResponseError is an error answer of a registry: its status and the
// first entry of the spec's error body, when it sent one.
type ResponseError struct {
	Status  int
	Code    string
	Message string
}

func (e *ResponseError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("registry answered %d", e.Status)
	}
	return fmt.Sprintf("registry answered %d %s: %s", e.Status, e.Code, e.Message)
}

var defaultHTTP = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
	MaxIdleConnsPerHost:   16,
	ResponseHeaderTimeout: 5 * time.Minute,
	ForceAttemptHTTP2:     true,
}}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

func (c *Client) parallel() int { return orDefault(c.Parallel, 4) }
func (c *Client) attempts() int { return orDefault(c.Attempts, 3) }

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// baseURL returns "scheme://host" for a registry host.
func (c *Client) baseURL(host string) string {
	h := host
	if hp, _, err := net.SplitHostPort(host); err == nil {
		h = hp
	}
	ip := net.ParseIP(h)
	if c.PlainHTTP || h == "localhost" || (ip != nil && ip.IsLoopback()) {
		return "http://" + host
	}
	return "https://" + host
}

// repoURL returns the URL of path under /v2/<name>/ of ref's registry.
func (c *Client) repoURL(ref reference.Reference, path string) string {
	return c.baseURL(ref.Host) + "/v2/" + ref.Name + "/" + path
}

// do sends a request and returns the response if its status is one of
// want; otherwise it reads the error body and returns a ResponseError.
func (c *Client) do(ctx context.Context, method, url string, body io.Reader,
	header http.Header, want ...int) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if cl := header.Get("Content-Length"); cl != "" {
		fmt.Sscan(cl, &req.ContentLength)
	}
	if c.Username != "" {
		req.SetBasicAuth(c.Username, c.Password)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, err
	}
	for _, w := range want {
		if resp.StatusCode == w {
			return resp, nil
		}
	}
	defer resp.Body.Close()
	return nil, readError(resp)
}

func readError(resp *http.Response) error {
	e := &ResponseError{Status: resp.StatusCode}
	var body struct {
		Errors []struct{ Code, Message string } `json:"errors"`
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(data, &body) == nil && len(body.Errors) > 0 {
		e.Code, e.Message = body.Errors[0].Code, body.Errors[0].Message
	}
	return e
}

// drain reads and closes a response body, so that the connection can be
// used again.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// resolveLocation turns a Location header, which may be relative, into
// a full URL.
func resolveLocation(resp *http.Response) (string, error) {
	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("registry sent no usable Location: %w", err)
	}
	return loc.String(), nil
}

// withQuery adds "key=value" to a URL that may already have a query.
func withQuery(url, key, value string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + key + "=" + value
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
