package server

import (
	"encoding/json"
	"net/http"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

func (s *Server) lifecycleRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteContainerCreate, s.create)
	mux.HandleFunc(api.RouteContainerStart, s.start)
	mux.HandleFunc(api.RouteContainerRestart, s.restart)
	mux.HandleFunc(api.RouteContainerWait, s.wait)
	mux.HandleFunc(api.RouteContainerRename, s.rename)
	mux.HandleFunc(api.RouteContainerTop, s.top)
	mux.HandleFunc(api.RouteContainerCommit, s.commit)
	mux.HandleFunc(api.RouteEvents, s.events)
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var req api.RunRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.Daemon.Create(r.Context(), req)
	s.reply(w, r, http.StatusCreated, c, err)
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	err := s.Daemon.Start(r.Context(), r.PathValue("id"))
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

// restart takes the body of stop: the grace period before SIGKILL.
func (s *Server) restart(w http.ResponseWriter, r *http.Request) {
	var req api.StopRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	var timeout time.Duration
	if req.Timeout != nil {
		timeout = time.Duration(*req.Timeout) * time.Second
	}
	err := s.Daemon.Restart(r.Context(), r.PathValue("id"), timeout)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) wait(w http.ResponseWriter, r *http.Request) {
	resp, err := s.Daemon.Wait(r.Context(), r.PathValue("id"))
	s.reply(w, r, http.StatusOK, resp, err)
}

func (s *Server) rename(w http.ResponseWriter, r *http.Request) {
	var req api.RenameRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := s.Daemon.Rename(r.Context(), r.PathValue("id"), req.Name)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) commit(w http.ResponseWriter, r *http.Request) {
	var req api.CommitRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	img, err := s.Daemon.Commit(r.Context(), r.PathValue("id"), req)
	s.reply(w, r, http.StatusCreated, img, err)
}

func (s *Server) top(w http.ResponseWriter, r *http.Request) {
	top, err := s.Daemon.Top(r.Context(), r.PathValue("id"))
	s.reply(w, r, http.StatusOK, top, err)
}

// events streams lifecycle events as JSON Lines, those that pass the
// ?filter= parameters. The header goes out at once, so that a client
// knows it is subscribed before anything happens.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	filters, err := api.ParseEventFilters(r.URL.Query()["filter"])
	if err != nil {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid, err))
		return
	}
	w.Header().Set("Content-Type", "application/jsonl")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	enc := json.NewEncoder(w)
	s.Daemon.Events(r.Context(), func(ev api.Event) error {
		if !filters.MatchEvent(ev) {
			return nil
		}
		if err := enc.Encode(ev); err != nil {
			return err
		}
		return rc.Flush()
	})
}
