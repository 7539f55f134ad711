package server

import (
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) networkRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteNetworkCreate, s.createNetwork)
	mux.HandleFunc(api.RouteNetworkList, s.networks)
	mux.HandleFunc(api.RouteNetworkRemove, s.removeNetwork)
}

func (s *Server) createNetwork(w http.ResponseWriter, r *http.Request) {
	var req api.NetworkCreateRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := s.Daemon.CreateNetwork(r.Context(), req)
	s.reply(w, r, http.StatusCreated, n, err)
}

func (s *Server) networks(w http.ResponseWriter, r *http.Request) {
	list, err := s.Daemon.Networks(r.Context())
	s.reply(w, r, http.StatusOK, list, err)
}

func (s *Server) removeNetwork(w http.ResponseWriter, r *http.Request) {
	err := s.Daemon.RemoveNetwork(r.Context(), r.PathValue("name"))
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}
