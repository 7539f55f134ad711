package registry

import (
	"fmt"
	"net/http"
	"strings"

	"shibafu.dev/phase5-registry/reference"
)

// resource is a parsed API path: which kind of thing, in which
// repository, and the last path element (a digest, tag or upload id).
type resource struct {
	kind string // "base", "catalog", "blob", "upload", "manifest", "tags", "referrers"
	name string
	arg  string
}

// suffixes maps the path element before the last one to the resource
// it names. Names may hold "/", so the path is read from its end.
var suffixes = []struct{ suffix, kind string }{
	{"/blobs/uploads", "upload"},
	{"/blobs", "blob"},
	{"/manifests", "manifest"},
	{"/referrers", "referrers"},
	{"/tags", "tags"},
}

// parsePath splits an API path such as /v2/library/busybox/blobs/sha256:...
func parsePath(path string) (resource, bool) {
	rest, ok := strings.CutPrefix(path, "/v2/")
	switch {
	case path == "/v2" || path == "/v2/":
		return resource{kind: "base"}, true
	case !ok:
		return resource{}, false
	case rest == "_catalog":
		return resource{kind: "catalog"}, true
	}
	i := strings.LastIndex(rest, "/")
	if i < 0 {
		return resource{}, false
	}
	head, arg := rest[:i], rest[i+1:]
	if strings.HasSuffix(head, "/blobs") && arg == "uploads" {
		head, arg = head+"/uploads", "" // POST /v2/<name>/blobs/uploads without a slash
	}
	for _, s := range suffixes {
		if name, ok := strings.CutSuffix(head, s.suffix); ok && name != "" {
			if s.kind == "tags" && arg != "list" {
				return resource{}, false
			}
			return resource{kind: s.kind, name: name, arg: arg}, true
		}
	}
	return resource{}, false
}

// handlerFunc is the shape of every endpoint: it returns an error that
// route turns into the spec's error body.
type handlerFunc func(w http.ResponseWriter, r *http.Request, res resource) error

// methods lists the endpoints of each resource by method.
func (s *Server) methods(kind string) map[string]handlerFunc {
	switch kind {
	case "base":
		return map[string]handlerFunc{"GET": s.getBase, "HEAD": s.getBase}
	case "catalog":
		return map[string]handlerFunc{"GET": s.getCatalog}
	case "blob":
		return map[string]handlerFunc{"GET": s.getBlob, "HEAD": s.getBlob,
			"DELETE": s.deleteBlob}
	case "upload":
		return map[string]handlerFunc{"POST": s.startUpload, "GET": s.getUpload,
			"PATCH": s.patchUpload, "PUT": s.putUpload, "DELETE": s.deleteUpload}
	case "manifest":
		return map[string]handlerFunc{"GET": s.getManifest, "HEAD": s.getManifest,
			"PUT": s.putManifest, "DELETE": s.deleteManifest}
	case "tags":
		return map[string]handlerFunc{"GET": s.getTags}
	case "referrers":
		return map[string]handlerFunc{"GET": s.getReferrers}
	}
	return nil
}

// route dispatches a request to its endpoint, after checking the
// repository name against the spec's grammar.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	res, ok := parsePath(r.URL.Path)
	if !ok {
		writeError(w, r, fail(codeNotFound, errNoRoute(r.URL.Path)))
		return
	}
	h, ok := s.methods(res.kind)[r.Method]
	if !ok {
		writeError(w, r, fail(codeUnsupported, errNoMethod(r.Method)))
		return
	}
	if res.name != "" {
		if err := reference.ValidateName(res.name); err != nil {
			writeError(w, r, fail(codeNameInvalid, err))
			return
		}
	}
	setRoute(r, res.kind)
	if err := s.authorize(r, res); err != nil {
		writeError(w, r, err)
		return
	}
	if err := h(w, r, res); err != nil {
		writeError(w, r, err)
	}
}

// getBase answers end-1 GET /v2/: the registry speaks this API.
func (s *Server) getBase(w http.ResponseWriter, r *http.Request, _ resource) error {
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("{}\n"))
	return nil
}

func errNoRoute(path string) error    { return fmt.Errorf("no endpoint at %q", path) }
func errNoMethod(method string) error { return fmt.Errorf("method %s not allowed here", method) }
