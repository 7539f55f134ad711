package server

import (
	"net/http"

	"shibafu.dev/phase8-paas/api"
)

// tlsRoutes are the routes of custom domains' certificates and of an
// app's HTTPS options.
func (s *Server) tlsRoutes(mux *http.ServeMux) {
	s.handle(mux, "GET /v1/apps/{app}/domains", s.listDomains)
	s.handle(mux, "PUT /v1/apps/{app}/tls", s.setTLS)
}

func (s *Server) listDomains(w http.ResponseWriter, r *http.Request) {
	ds, err := s.Engine.Domains(r.Context(), r.PathValue("app"))
	s.reply(w, r, http.StatusOK, ds, err)
}

func (s *Server) setTLS(w http.ResponseWriter, r *http.Request) {
	var req api.TLSSettings
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	app, err := s.Engine.SetTLS(r.Context(), r.PathValue("app"), req)
	s.reply(w, r, http.StatusOK, app, err)
}
