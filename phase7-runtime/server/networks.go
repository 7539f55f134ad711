package server

import (
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) networkRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteNetworkCreate, s.createNetwork)
	mux.HandleFunc(api.RouteNetworkList, s.networks)
	mux.HandleFunc(api.RouteNetworkRemove, s.removeNetwork)
	mux.HandleFunc(api.RouteNetworkInspect, s.inspectNetwork)
	mux.HandleFunc(api.RouteNetworkConnect, s.connect)
	mux.HandleFunc(api.RouteNetworkDisconnect, s.disconnect)
}

func (s *Server) inspectNetwork(w http.ResponseWriter, r *http.Request) {
	n, err := s.Daemon.InspectNetwork(r.Context(), r.PathValue("name"))
	s.reply(w, r, http.StatusOK, n, err)
}

func (s *Server) connect(w http.ResponseWriter, r *http.Request) {
	var req api.ConnectRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := s.Daemon.Connect(r.Context(), r.PathValue("name"), req.Container)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) disconnect(w http.ResponseWriter, r *http.Request) {
	var req api.ConnectRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := s.Daemon.Disconnect(r.Context(), r.PathValue("name"), req.Container)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
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
