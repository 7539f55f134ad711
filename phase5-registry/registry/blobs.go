package registry

import (
	"net/http"
	"time"

	"shibafu.dev/phase5-registry/reference"
)

// getBlob answers end-2 GET and HEAD /v2/<name>/blobs/<digest>. Range
// requests get 206 with the bytes asked for (or 416), through
// http.ServeContent, which also sends the file with sendfile(2).
func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, res resource) error {
	d, err := reference.ParseDigest(res.arg)
	if err != nil {
		return fail(codeDigestInvalid, err)
	}
	f, err := s.Store.OpenBlob(res.name, d)
	if err != nil {
		return err
	}
	defer f.Close()

	h := w.Header()
	h.Set("Docker-Content-Digest", d.String())
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+d.String()+`"`)
	h.Set("Cache-Control", "max-age=31536000") // content never changes
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

// deleteBlob answers end-10 DELETE /v2/<name>/blobs/<digest>: the blob
// leaves the repository; garbage collection frees its bytes later.
func (s *Server) deleteBlob(w http.ResponseWriter, r *http.Request, res resource) error {
	d, err := reference.ParseDigest(res.arg)
	if err != nil {
		return fail(codeDigestInvalid, err)
	}
	if err := s.Store.DeleteBlob(res.name, d); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
