package server

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"shibafu.dev/phase8-paas/api"
)

func (s *Server) configRoutes(mux *http.ServeMux) {
	s.handle(mux, "GET /v1/apps/{app}/config", s.getConfig)
	s.handle(mux, "PATCH /v1/apps/{app}/config", s.changeConfig(false))
	s.handle(mux, "GET /v1/apps/{app}/secrets", s.getSecrets)
	s.handle(mux, "PATCH /v1/apps/{app}/secrets", s.changeConfig(true))
}

// getConfig answers an app's config vars, name to value. Secrets are not
// among them.
func (s *Server) getConfig(w http.ResponseWriter, r *http.Request) {
	cfg, err := s.Engine.Config(r.PathValue("app"))
	s.reply(w, r, http.StatusOK, cfg.Vars, err)
}

// getSecrets answers the names of an app's secrets; with ?reveal=true,
// name to value. Either way the answer is not logged.
func (s *Server) getSecrets(w http.ResponseWriter, r *http.Request) {
	app := r.PathValue("app")
	if r.URL.Query().Get("reveal") == "true" {
		values, err := s.Engine.RevealSecrets(app)
		s.logger().Info("secrets revealed", "app", app, "user", user(r))
		s.reply(w, r, http.StatusOK, values, err)
		return
	}
	cfg, err := s.Engine.Config(app)
	names := slices.Sorted(maps.Keys(cfg.Secrets))
	if names == nil {
		names = []string{}
	}
	s.reply(w, r, http.StatusOK, names, err)
}

// changeConfig sets and unsets config vars or secrets, and streams the
// rollout of the release that runs with them.
func (s *Server) changeConfig(secret bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var change api.ConfigChange
		if err := decode(r, &change); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := api.ValidateConfigChange(change); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.streamRelease(w, r, func(ctx context.Context, st *stream) (*api.Release, error) {
			return s.Engine.SetConfig(ctx, r.PathValue("app"), change, secret, user(r), st)
		})
	}
}
