package registry_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call sends one request and returns the status and the spec error
// code of the answer ("" when the body is not an error body).
func call(t *testing.T, method, url, body string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var e struct {
		Errors []struct{ Code string } `json:"errors"`
	}
	code := ""
	if json.Unmarshal(data, &e) == nil && len(e.Errors) > 0 {
		code = e.Errors[0].Code
	}
	return resp.StatusCode, code, resp.Header
}

// storedFiles lists the files under the blob store, to show that a
// refused request left nothing behind.
func storedFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"blobs", "uploads", "tmp"} {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}
	return files
}

func TestHostileInput(t *testing.T) {
	reg := newServer(t)
	srv := httptest.NewServer(reg)
	defer srv.Close()
	root := reg.Store.Root()
	v2 := srv.URL + "/v2/"
	good := digest.FromString("hello")
	manifestBody := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` +
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"` +
		good.String() + `","size":5},"layers":[]}`
	ociManifest := "application/vnd.oci.image.manifest.v1+json"

	tests := []struct {
		name, method, path, body string
		header                   []string
		status                   int
		code                     string
	}{
		{"wrong digest, monolithic", "POST", "repo/blobs/uploads/?digest=" +
			digest.FromString("other").String(), "hello", nil, 400, "DIGEST_INVALID"},
		{"malformed digest", "POST", "repo/blobs/uploads/?digest=sha256:zz", "hello", nil,
			400, "DIGEST_INVALID"},
		{"unknown algorithm", "POST", "repo/blobs/uploads/?digest=md5:abcd", "x", nil,
			400, "DIGEST_INVALID"},
		{"dot-dot name", "GET", "../etc/blobs/" + good.String(), "", nil, 400, "NAME_INVALID"},
		{"dot-dot inside", "GET", "a/../../b/tags/list", "", nil, 400, "NAME_INVALID"},
		{"upper-case name", "GET", "Repo/tags/list", "", nil, 400, "NAME_INVALID"},
		{"underscore component", "GET", "_blobs/tags/list", "", nil, 400, "NAME_INVALID"},
		{"digest path traversal", "GET", "repo/blobs/sha256:../../../etc/passwd", "", nil,
			404, "UNSUPPORTED"},
		{"bad tag", "PUT", "repo/manifests/-bad", manifestBody,
			[]string{"Content-Type", ociManifest}, 400, "MANIFEST_INVALID"},
		{"malformed manifest JSON", "PUT", "repo/manifests/v1", `{"schemaVersion":2,`,
			[]string{"Content-Type", ociManifest}, 400, "MANIFEST_INVALID"},
		{"manifest of unknown type", "PUT", "repo/manifests/v1", `{"schemaVersion":2}`,
			[]string{"Content-Type", "text/plain"}, 400, "MANIFEST_INVALID"},
		{"manifest with missing blob", "PUT", "repo/manifests/v1", manifestBody,
			[]string{"Content-Type", ociManifest}, 404, "MANIFEST_BLOB_UNKNOWN"},
		{"manifest under the wrong digest", "PUT", "repo/manifests/" + good.String(),
			manifestBody, []string{"Content-Type", ociManifest}, 400, "DIGEST_INVALID"},
		{"oversized manifest", "PUT", "repo/manifests/v1",
			`{"schemaVersion":2,"x":"` + strings.Repeat("a", 5<<20) + `"}`,
			[]string{"Content-Type", ociManifest}, 413, "MANIFEST_INVALID"},
		{"unknown upload", "PATCH", "repo/blobs/uploads/0123456789abcdef0123456789abcdef",
			"x", nil, 404, "BLOB_UPLOAD_UNKNOWN"},
		{"upload id as a path", "PATCH", "repo/blobs/uploads/..", "x", nil,
			404, "BLOB_UPLOAD_UNKNOWN"},
		{"unknown blob", "GET", "repo/blobs/" + good.String(), "", nil, 404, "BLOB_UNKNOWN"},
		{"unknown manifest", "GET", "repo/manifests/latest", "", nil, 404, "NAME_UNKNOWN"},
		{"bad page size", "GET", "_catalog?n=-1", "", nil, 400, "UNSUPPORTED"},
		{"method not allowed", "POST", "repo/tags/list", "", nil, 405, "UNSUPPORTED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, code, _ := call(t, tc.method, v2+tc.path, tc.body, tc.header...)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, code)
			assert.Empty(t, storedFiles(t, root), "a refused request stores nothing")
		})
	}
}

// TestBadRanges sends chunks that do not fit the upload: each gets 416
// (or 400 for a malformed header), the upload survives unchanged, and a
// bad digest at the end leaves nothing stored.
func TestBadRanges(t *testing.T) {
	reg := newServer(t)
	srv := httptest.NewServer(reg)
	defer srv.Close()

	status, _, h := call(t, "POST", srv.URL+"/v2/repo/blobs/uploads/", "")
	require.Equal(t, http.StatusAccepted, status)
	loc := srv.URL + h.Get("Location")
	status, _, h = call(t, "PATCH", loc, "hello", "Content-Range", "0-4")
	require.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, "0-4", h.Get("Range"))

	for _, cr := range []string{"0-4", "10-14", "3-7"} {
		status, code, h := call(t, "PATCH", loc, "world", "Content-Range", cr)
		assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, status, cr)
		assert.Equal(t, "BLOB_UPLOAD_INVALID", code, cr)
		assert.Equal(t, "0-4", h.Get("Range"), "the upload is unchanged")
	}
	status, code, _ := call(t, "PATCH", loc, "world", "Content-Range", "7-x")
	assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, status)
	assert.Equal(t, "BLOB_UPLOAD_INVALID", code)
	status, code, _ = call(t, "PATCH", loc, "world", "Content-Range", "5-20")
	assert.Equal(t, http.StatusBadRequest, status, "a range longer than the body")
	assert.Equal(t, "SIZE_INVALID", code)

	status, _, h = call(t, "GET", loc, "")
	assert.Equal(t, http.StatusNoContent, status)
	assert.Equal(t, "0-4", h.Get("Range"))

	status, code, _ = call(t, "PUT", loc+"?digest="+digest.FromString("nope").String(), "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "DIGEST_INVALID", code)
	assert.Empty(t, storedFiles(t, reg.Store.Root()))
	status, code, _ = call(t, "GET", loc, "")
	assert.Equal(t, http.StatusNotFound, status, "a failed upload is gone")
	assert.Equal(t, "BLOB_UPLOAD_UNKNOWN", code)
}

// TestBlobRangeRequests reads parts of a blob, and asks for bytes past
// its end.
func TestBlobRangeRequests(t *testing.T) {
	srv := httptest.NewServer(newServer(t))
	defer srv.Close()
	d := digest.FromString("0123456789")
	status, _, _ := call(t, "POST", srv.URL+"/v2/r/blobs/uploads/?digest="+d.String(),
		"0123456789")
	require.Equal(t, http.StatusCreated, status)

	req, _ := http.NewRequest("GET", srv.URL+"/v2/r/blobs/"+d.String(), nil)
	req.Header.Set("Range", "bytes=2-5")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
	assert.Equal(t, "2345", string(body))

	req.Header.Set("Range", "bytes=20-30")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, resp.StatusCode)
}
