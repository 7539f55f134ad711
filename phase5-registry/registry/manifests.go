package registry

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencontainers/go-digest"

	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/reference"
	"shibafu.dev/phase5-registry/storage"
)

// ref is a manifest reference of a path: a tag or a digest.
type ref struct {
	tag    string
	digest digest.Digest
}

// parseRef reads <reference>, which is a digest when it holds a ":"
// (a tag cannot), and a tag otherwise.
func parseRef(s string) (ref, error) {
	if strings.Contains(s, ":") {
		d, err := reference.ParseDigest(s)
		if err != nil {
			return ref{}, fail(codeDigestInvalid, err)
		}
		return ref{digest: d}, nil
	}
	if err := reference.ValidateTag(s); err != nil {
		return ref{}, fail(codeManifestInvalid, err)
	}
	return ref{tag: s}, nil
}

// resolve returns the digest a reference stands for in repository name.
func (s *Server) resolve(name string, rf ref) (digest.Digest, error) {
	if rf.digest != "" {
		return rf.digest, nil
	}
	d, err := s.Store.ResolveTag(name, rf.tag)
	if errors.Is(err, storage.ErrManifestUnknown) {
		if _, terr := s.Store.Tags(name); errors.Is(terr, storage.ErrNameUnknown) {
			return "", terr
		}
	}
	return d, err
}

// getManifest answers end-3 GET and HEAD /v2/<name>/manifests/<reference>
// with the manifest's bytes exactly as pushed, its media type and its
// digest.
func (s *Server) getManifest(w http.ResponseWriter, r *http.Request, res resource) error {
	rf, err := parseRef(res.arg)
	if err != nil {
		return err
	}
	d, err := s.resolve(res.name, rf)
	if err != nil {
		return err
	}
	mediaType, body, err := s.Store.GetManifest(res.name, d)
	if errors.Is(err, storage.ErrManifestUnknown) {
		if _, terr := s.Store.Tags(res.name); errors.Is(terr, storage.ErrNameUnknown) {
			return terr
		}
	}
	if err != nil {
		return err
	}

	h := w.Header()
	h.Set("Content-Type", mediaType)
	h.Set("Docker-Content-Digest", d.String())
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("ETag", `"`+d.String()+`"`)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// putManifest answers end-7 PUT /v2/<name>/manifests/<reference>. The
// body must be a manifest whose blobs and child manifests are already in
// the repository; pushed by digest, it must hash to that digest. Tags
// may be given as ?tag= parameters too (spec 1.1+dev).
func (s *Server) putManifest(w http.ResponseWriter, r *http.Request, res resource) error {
	rf, err := parseRef(res.arg)
	if err != nil {
		return err
	}
	tags := r.URL.Query()["tag"]
	for _, t := range tags {
		if err := reference.ValidateTag(t); err != nil {
			return fail(codeManifestInvalid, err)
		}
	}
	body, err := readLimited(r.Body, s.maxManifest())
	if err != nil {
		return err
	}

	d := digest.SHA256.FromBytes(body)
	if rf.digest != "" {
		if d = rf.digest.Algorithm().FromBytes(body); d != rf.digest {
			return fail(codeDigestInvalid, fmt.Errorf("manifest is %s, not %s", d, rf.digest))
		}
	}
	m, err := manifest.Parse(r.Header.Get("Content-Type"), body)
	if err != nil {
		return err
	}
	if err := s.Store.PutManifest(res.name, rf.tag, d, body, m); err != nil {
		return err
	}
	for _, t := range tags {
		if err := s.Store.Tag(res.name, t, d); err != nil {
			return err
		}
	}

	h := w.Header()
	h.Set("Location", "/v2/"+res.name+"/manifests/"+d.String())
	h.Set("Docker-Content-Digest", d.String())
	if m.Subject != nil {
		h["OCI-Subject"] = []string{m.Subject.Digest.String()} // spelled as the spec does
	}
	h["OCI-Tag"] = append(h["OCI-Tag"], tags...) // the tags applied from ?tag=
	w.WriteHeader(http.StatusCreated)
	return nil
}

// readLimited reads a body of at most max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fail(codeManifestInvalid, fmt.Errorf("read manifest: %w", err))
	}
	if int64(len(body)) > max {
		return nil, fail(codeManifestTooLarge, fmt.Errorf("manifest over %d bytes", max))
	}
	return body, nil
}

// deleteManifest answers end-9 DELETE /v2/<name>/manifests/<reference>:
// by digest it removes the manifest and its tags; by tag, only the tag.
func (s *Server) deleteManifest(w http.ResponseWriter, r *http.Request, res resource) error {
	rf, err := parseRef(res.arg)
	if err != nil {
		return err
	}
	if rf.tag != "" {
		err = s.Store.DeleteTag(res.name, rf.tag)
	} else {
		err = s.Store.DeleteManifest(res.name, rf.digest)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
