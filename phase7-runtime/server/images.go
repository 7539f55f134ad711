package server

import (
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) imageRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteImageList, s.images)
	mux.HandleFunc(api.RouteImageBuildBase, s.buildBase)
}

func (s *Server) images(w http.ResponseWriter, r *http.Request) {
	list, err := s.Daemon.Images(r.Context())
	s.reply(w, r, http.StatusOK, list, err)
}

func (s *Server) buildBase(w http.ResponseWriter, r *http.Request) {
	var req api.BuildBaseRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	img, err := s.Daemon.BuildBase(r.Context(), req.Ref)
	s.reply(w, r, http.StatusCreated, img, err)
}
