package server

import (
	"errors"
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) systemRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteSystemDF, s.diskUsage)
	mux.HandleFunc(api.RouteSystemPrune, s.prune)
	mux.HandleFunc(api.RouteImageSave, s.saveImages)
	mux.HandleFunc(api.RouteImageLoad, s.loadImages)
	mux.HandleFunc(api.RouteImageImport, s.importImage)
}

func (s *Server) diskUsage(w http.ResponseWriter, r *http.Request) {
	du, err := s.Daemon.DiskUsage(r.Context())
	s.reply(w, r, http.StatusOK, du, err)
}

func (s *Server) prune(w http.ResponseWriter, r *http.Request) {
	report, err := s.Daemon.Prune(r.Context())
	s.reply(w, r, http.StatusOK, report, err)
}

// saveImages streams an OCI archive of the images ?ref=. The status
// goes out with the first byte, after the daemon has checked every ref;
// a failure later breaks the connection off, so that the client sees a
// cut archive rather than a whole-looking one.
func (s *Server) saveImages(w http.ResponseWriter, r *http.Request) {
	out := &lazyWriter{w: w, contentType: "application/x-tar"}
	err := s.Daemon.SaveImages(r.Context(), r.URL.Query()["ref"], out)
	switch {
	case err != nil && !out.started:
		s.writeError(w, r, err)
	case err != nil:
		s.logger().Error("image save broke off", "err", err)
		panic(http.ErrAbortHandler)
	}
}

// loadImages reads an OCI archive from the request body.
func (s *Server) loadImages(w http.ResponseWriter, r *http.Request) {
	imgs, err := s.Daemon.LoadImages(r.Context(), r.Body)
	s.reply(w, r, http.StatusCreated, imgs, err)
}

// importImage reads a root filesystem tarball from the request body.
func (s *Server) importImage(w http.ResponseWriter, r *http.Request) {
	ref := r.URL.Query().Get("ref")
	if ref == "" {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid,
			errors.New("import: no image name (?ref=) given")))
		return
	}
	img, err := s.Daemon.ImportImage(r.Context(), ref, r.Body)
	s.reply(w, r, http.StatusCreated, img, err)
}
