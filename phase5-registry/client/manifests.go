package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/reference"
)

// accept lists the manifest types the client understands, sent in
// Accept so that a registry does not fall back to an older format.
var accept = strings.Join([]string{ocispec.MediaTypeImageIndex, ocispec.MediaTypeImageManifest,
	manifest.MediaTypeDockerList, manifest.MediaTypeDockerManifest}, ", ")

// Inspect fetches the manifest or index ref names (end-3) and returns
// its descriptor and its bytes, checked against its digest.
func (c *Client) Inspect(ctx context.Context, ref reference.Reference) (
	ocispec.Descriptor, []byte, error) {
	return c.fetchManifest(ctx, ref, ref.Reference())
}

// fetchManifest GETs /v2/<name>/manifests/<tagOrDigest>. Fetched by
// digest, the body must hash to it; fetched by tag, it must match the
// Docker-Content-Digest the registry sends, if it sends one.
func (c *Client) fetchManifest(ctx context.Context, ref reference.Reference, tagOrDigest string) (
	ocispec.Descriptor, []byte, error) {
	resp, err := c.do(ctx, http.MethodGet, c.repoURL(ref, "manifests/"+tagOrDigest), nil,
		http.Header{"Accept": {accept}}, http.StatusOK)
	if err != nil {
		return ocispec.Descriptor{}, nil, fmt.Errorf("get manifest %s: %w", tagOrDigest, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, manifest.MaxSize+1))
	if err != nil {
		return ocispec.Descriptor{}, nil, fmt.Errorf("get manifest %s: %w", tagOrDigest, err)
	}

	want := digest.Digest(tagOrDigest)
	if want.Validate() != nil {
		want = digest.Digest(resp.Header.Get("Docker-Content-Digest"))
	}
	alg := digest.SHA256
	if want.Validate() == nil {
		alg = want.Algorithm()
	}
	got := alg.FromBytes(body)
	if want != "" && got != want {
		return ocispec.Descriptor{}, nil, fmt.Errorf("get manifest %s: body is %s, not %s",
			tagOrDigest, got, want)
	}
	m, err := manifest.Parse(resp.Header.Get("Content-Type"), body)
	if err != nil {
		return ocispec.Descriptor{}, nil, fmt.Errorf("get manifest %s: %w", tagOrDigest, err)
	}
	return ocispec.Descriptor{MediaType: m.MediaType, Digest: got, Size: int64(len(body))},
		body, nil
}

// putManifest PUTs a manifest under a tag or its digest (end-7).
func (c *Client) putManifest(ctx context.Context, ref reference.Reference, tagOrDigest string,
	desc ocispec.Descriptor, body []byte) error {
	h := http.Header{
		"Content-Type":   {desc.MediaType},
		"Content-Length": {strconv.Itoa(len(body))},
	}
	resp, err := c.do(ctx, http.MethodPut, c.repoURL(ref, "manifests/"+tagOrDigest),
		bytes.NewReader(body), h, http.StatusCreated)
	if err != nil {
		return fmt.Errorf("put manifest %s: %w", tagOrDigest, err)
	}
	drain(resp)
	if got := resp.Header.Get("Docker-Content-Digest"); got != "" && got != desc.Digest.String() {
		return fmt.Errorf("put manifest %s: registry says %s, not %s", tagOrDigest, got,
			desc.Digest)
	}
	return nil
}

// Tags lists the tags of ref's repository (end-8a), following the Link
// header of every page (end-8b).
func (c *Client) Tags(ctx context.Context, ref reference.Reference) ([]string, error) {
	var all []string
	url := c.repoURL(ref, "tags/list?n=1000")
	for page := 0; url != "" && page < 10000; page++ {
		resp, err := c.do(ctx, http.MethodGet, url, nil, nil, http.StatusOK)
		if err != nil {
			return nil, fmt.Errorf("list tags: %w", err)
		}
		var list struct {
			Tags []string `json:"tags"`
		}
		err = decodeJSON(resp, &list)
		if err != nil {
			return nil, fmt.Errorf("list tags: %w", err)
		}
		all = append(all, list.Tags...)
		url = nextLink(c.baseURL(ref.Host), resp.Header.Get("Link"))
	}
	return all, nil
}

// nextLink reads `<URL>; rel="next"` and returns the URL, made absolute.
func nextLink(base, link string) string {
	target, params, ok := strings.Cut(link, ";")
	if !ok || !strings.Contains(params, `rel="next"`) {
		return ""
	}
	target = strings.Trim(strings.TrimSpace(target), "<>")
	if strings.HasPrefix(target, "/") {
		return base + target
	}
	return target
}

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != "" &&
		!strings.Contains(ct, "json") {
		return fmt.Errorf("unexpected Content-Type %q", ct)
	}
	return jsonDecode(io.LimitReader(resp.Body, 16<<20), v)
}
