package server

import (
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) volumeRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteVolumeCreate, s.createVolume)
	mux.HandleFunc(api.RouteVolumeList, s.volumes)
	mux.HandleFunc(api.RouteVolumeRemove, s.removeVolume)
}

func (s *Server) createVolume(w http.ResponseWriter, r *http.Request) {
	var req api.VolumeCreateRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.Daemon.CreateVolume(req)
	s.reply(w, r, http.StatusCreated, v, err)
}

func (s *Server) volumes(w http.ResponseWriter, r *http.Request) {
	list, err := s.Daemon.Volumes()
	s.reply(w, r, http.StatusOK, list, err)
}

func (s *Server) removeVolume(w http.ResponseWriter, r *http.Request) {
	err := s.Daemon.RemoveVolume(r.PathValue("name"))
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}
