package server

import (
	"context"
	"net/http"

	"shibafu.dev/phase8-paas/api"
)

func (s *Server) appRoutes(mux *http.ServeMux) {
	s.handle(mux, "POST /v1/apps", s.createApp)
	s.handle(mux, "GET /v1/apps", s.listApps)
	s.handle(mux, "GET /v1/apps/{app}", s.getApp)
	s.handle(mux, "PATCH /v1/apps/{app}", s.updateApp)
	s.handle(mux, "DELETE /v1/apps/{app}", s.destroyApp)
	s.handle(mux, "GET /v1/apps/{app}/ps", s.listReplicas)
	s.handle(mux, "POST /v1/apps/{app}/domains", s.addDomain)
	s.handle(mux, "DELETE /v1/apps/{app}/domains/{domain}", s.removeDomain)
}

func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	var req api.CreateAppRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	app, err := s.Engine.CreateApp(r.Context(), req)
	if err == nil && s.Git != nil {
		err = s.Git.Init(req.Name)
	}
	s.reply(w, r, http.StatusCreated, app, err)
}

func (s *Server) listApps(w http.ResponseWriter, r *http.Request) {
	apps, err := s.Engine.Apps(r.Context())
	s.reply(w, r, http.StatusOK, apps, err)
}

func (s *Server) getApp(w http.ResponseWriter, r *http.Request) {
	app, err := s.Engine.App(r.Context(), r.PathValue("app"), true)
	s.reply(w, r, http.StatusOK, app, err)
}

// updateApp changes an app's settings; the health check is the only one.
func (s *Server) updateApp(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Health api.HealthCheck `json:"health"`
	}
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	app, err := s.Engine.UpdateHealth(r.Context(), r.PathValue("app"), req.Health)
	s.reply(w, r, http.StatusOK, app, err)
}

func (s *Server) destroyApp(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("app")
	ctx := context.WithoutCancel(r.Context())
	err := s.Engine.DestroyApp(ctx, name, discardLog{})
	if err == nil && s.Git != nil {
		err = s.Git.Remove(name)
	}
	if err == nil {
		err = s.Observe.forget(name)
	}
	s.reply(w, r, http.StatusOK, map[string]string{"destroyed": name}, err)
}

func (s *Server) listReplicas(w http.ResponseWriter, r *http.Request) {
	app, err := s.Engine.App(r.Context(), r.PathValue("app"), true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	replicas := app.Replicas
	if replicas == nil {
		replicas = []api.Replica{}
	}
	writeJSON(w, http.StatusOK, replicas)
}

func (s *Server) addDomain(w http.ResponseWriter, r *http.Request) {
	var req api.DomainRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	app, err := s.Engine.AddDomain(r.Context(), r.PathValue("app"), req.Name)
	s.reply(w, r, http.StatusCreated, app, err)
}

func (s *Server) removeDomain(w http.ResponseWriter, r *http.Request) {
	app, err := s.Engine.RemoveDomain(r.Context(), r.PathValue("app"), r.PathValue("domain"))
	s.reply(w, r, http.StatusOK, app, err)
}

// discardLog is a log nobody reads.
type discardLog struct{}

func (discardLog) Write(p []byte) (int, error) { return len(p), nil }
