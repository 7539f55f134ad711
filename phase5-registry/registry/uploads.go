package registry

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencontainers/go-digest"

	"shibafu.dev/phase5-registry/reference"
	"shibafu.dev/phase5-registry/storage"
)

// startUpload answers POST /v2/<name>/blobs/uploads/ in its three forms:
// end-4a opens an upload session (202 and its Location); end-4b, with
// ?digest=, takes the whole blob in this one request (201); end-11, with
// ?mount=<digest>&from=<other>, links a blob the registry already holds
// (201), or opens a session when it cannot (202).
func (s *Server) startUpload(w http.ResponseWriter, r *http.Request, res resource) error {
	if res.arg != "" {
		return fail(codeUnsupported, errNoMethod(r.Method))
	}
	q := r.URL.Query()
	if q.Has("mount") {
		mounted, err := s.mount(w, res.name, q.Get("mount"), q.Get("from"))
		if mounted || err != nil {
			return err
		}
	}
	u, err := s.Store.NewUpload(res.name)
	if err != nil {
		return err
	}
	if q.Has("digest") {
		return s.finish(w, r, res.name, u, q.Get("digest"), -1)
	}
	writeUploadStatus(w, res.name, u.ID(), 0, http.StatusAccepted)
	return nil
}

// mount tries end-11. It reports false, and no error, when the blob is
// not there to mount, so that the client gets an upload session instead.
func (s *Server) mount(w http.ResponseWriter, name, dig, from string) (bool, error) {
	d, err := reference.ParseDigest(dig)
	if err != nil {
		return false, fail(codeDigestInvalid, err)
	}
	if from != "" {
		if err := reference.ValidateName(from); err != nil {
			return false, fail(codeNameInvalid, err)
		}
	}
	err = s.Store.MountBlob(name, from, d)
	if errors.Is(err, storage.ErrBlobUnknown) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	writeBlobCreated(w, name, d)
	return true, nil
}

// getUpload answers end-13 GET /v2/<name>/blobs/uploads/<id>: how much
// of the upload has arrived, so that a client can resume it.
func (s *Server) getUpload(w http.ResponseWriter, r *http.Request, res resource) error {
	u, err := s.Store.GetUpload(res.name, res.arg)
	if err != nil {
		return err
	}
	size, err := u.Size()
	if err != nil {
		return err
	}
	writeUploadStatus(w, res.name, u.ID(), size, http.StatusNoContent)
	return nil
}

// patchUpload answers end-5 PATCH /v2/<name>/blobs/uploads/<id>: one
// chunk, placed by Content-Range ("start-end"), or, without it, a stream
// of any length appended to the upload.
func (s *Server) patchUpload(w http.ResponseWriter, r *http.Request, res resource) error {
	u, err := s.Store.GetUpload(res.name, res.arg)
	if err != nil {
		return err
	}
	start, err := chunkStart(r)
	if err != nil {
		return err
	}
	size, err := u.Append(r.Context(), r.Body, start, s.MaxBlobSize)
	if errors.Is(err, storage.ErrRangeInvalid) {
		// The session lives on; tell the client where it stands.
		w.Header().Set("Location", uploadURL(res.name, u.ID()))
		w.Header().Set("Range", rangeHeader(size))
		return err
	}
	if err != nil {
		return err
	}
	writeUploadStatus(w, res.name, u.ID(), size, http.StatusAccepted)
	return nil
}

// putUpload answers end-6 PUT /v2/<name>/blobs/uploads/<id>?digest=:
// the last chunk, if there is a body, and the end of the upload.
func (s *Server) putUpload(w http.ResponseWriter, r *http.Request, res resource) error {
	u, err := s.Store.GetUpload(res.name, res.arg)
	if err != nil {
		return err
	}
	start, err := chunkStart(r)
	if err != nil {
		return err
	}
	return s.finish(w, r, res.name, u, r.URL.Query().Get("digest"), start)
}

// deleteUpload cancels an upload (DELETE /v2/<name>/blobs/uploads/<id>).
func (s *Server) deleteUpload(w http.ResponseWriter, r *http.Request, res resource) error {
	u, err := s.Store.GetUpload(res.name, res.arg)
	if err != nil {
		return err
	}
	if err := u.Cancel(); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// finish appends the request body to u and commits it as blob dig. A
// bad digest, or content that does not match it, ends the upload with
// nothing stored.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, name string,
	u *storage.Upload, dig string, start int64) error {
	d, err := reference.ParseDigest(dig)
	if err != nil {
		u.Cancel()
		return fail(codeDigestInvalid, err)
	}
	if _, err := u.Append(r.Context(), r.Body, start, s.MaxBlobSize); err != nil {
		if errors.Is(err, storage.ErrTooLarge) {
			u.Cancel()
		}
		return err
	}
	if err := u.Commit(d); err != nil {
		return err
	}
	writeBlobCreated(w, name, d)
	return nil
}

// chunkStart reads Content-Range: "<start>-<end>", and checks that it
// agrees with Content-Length. It returns -1 when there is no range.
func chunkStart(r *http.Request) (int64, error) {
	cr := r.Header.Get("Content-Range")
	if cr == "" {
		return -1, nil
	}
	a, b, ok := strings.Cut(strings.TrimPrefix(cr, "bytes="), "-")
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || start < 0 || end < start {
		return 0, fail(codeRangeInvalid, fmt.Errorf("bad Content-Range %q", cr))
	}
	if r.ContentLength >= 0 && r.ContentLength != end-start+1 {
		return 0, fail(codeSizeInvalid, fmt.Errorf("Content-Range %q but Content-Length %d",
			cr, r.ContentLength))
	}
	return start, nil
}

func uploadURL(name, id string) string { return "/v2/" + name + "/blobs/uploads/" + id }

// rangeHeader is the spec's Range for an upload of size bytes: the
// inclusive range received so far, "0-0" before the first byte.
func rangeHeader(size int64) string {
	return "0-" + strconv.FormatInt(max(size-1, 0), 10)
}

func writeUploadStatus(w http.ResponseWriter, name, id string, size int64, status int) {
	h := w.Header()
	h.Set("Location", uploadURL(name, id))
	h.Set("Range", rangeHeader(size))
	h.Set("Docker-Upload-UUID", id)
	h.Set("Content-Length", "0")
	w.WriteHeader(status)
}

func writeBlobCreated(w http.ResponseWriter, name string, d digest.Digest) {
	h := w.Header()
	h.Set("Location", "/v2/"+name+"/blobs/"+d.String())
	h.Set("Docker-Content-Digest", d.String())
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
}
