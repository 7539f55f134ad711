package server

import (
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) copyRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteContainerArchiveGet, s.copyFrom)
	mux.HandleFunc(api.RouteContainerArchivePut, s.copyTo)
}

// copyFrom answers a tar stream of ?path= in the container. An error
// once the stream has begun can only cut it short, which the client's
// tar reader notices.
func (s *Server) copyFrom(w http.ResponseWriter, r *http.Request) {
	out := &lazyWriter{w: w, contentType: "application/x-tar"}
	err := s.Daemon.CopyFrom(r.Context(), r.PathValue("id"), r.URL.Query().Get("path"), out)
	if err != nil && !out.started {
		s.writeError(w, r, err)
	} else if err != nil {
		s.logger().Warn("copy from a container cut short", "id", r.PathValue("id"), "err", err)
	}
}

// copyTo extracts the tar stream of the body at ?path= in the container;
// with ?mkdir=true, into that directory, made first if need be.
func (s *Server) copyTo(w http.ResponseWriter, r *http.Request) {
	copyTo := s.Daemon.CopyTo
	if r.URL.Query().Get("mkdir") == "true" {
		copyTo = s.Daemon.CopyToDir
	}
	err := copyTo(r.Context(), r.PathValue("id"), r.URL.Query().Get("path"), r.Body)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

// lazyWriter sends the response header with the first byte of the body,
// so that a handler can still answer an error until then.
type lazyWriter struct {
	w           http.ResponseWriter
	contentType string
	started     bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.w.Header().Set("Content-Type", l.contentType)
		l.w.WriteHeader(http.StatusOK)
		l.started = true
	}
	return l.w.Write(p)
}
