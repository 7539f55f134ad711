package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/daemon"
)

func (s *Server) containerRoutes(mux *http.ServeMux) {
	mux.HandleFunc(api.RouteContainerRun, s.run)
	mux.HandleFunc(api.RouteContainerList, s.list)
	mux.HandleFunc(api.RouteContainerInspect, s.inspect)
	mux.HandleFunc(api.RouteContainerStop, s.stop)
	mux.HandleFunc(api.RouteContainerKill, s.kill)
	mux.HandleFunc(api.RouteContainerRemove, s.remove)
	mux.HandleFunc(api.RouteContainerLogs, s.logs)
	mux.HandleFunc(api.RouteContainerExec, s.exec)
	mux.HandleFunc(api.RouteContainerStats, s.stats)
}

func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var req api.RunRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.Daemon.Run(r.Context(), req)
	s.reply(w, r, http.StatusCreated, c, err)
}

// list answers the containers that pass the ?filter= parameters. A
// status filter looks at every container, as with ?all=true: asking for
// the exited ones must find them.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filters, err := api.ParseContainerFilters(q["filter"])
	if err != nil {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid, err))
		return
	}
	all, _ := strconv.ParseBool(q.Get("all"))
	list, err := s.Daemon.List(r.Context(), all || len(filters["status"]) > 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []api.Container{}
	for _, c := range list {
		if filters.MatchContainer(c) {
			out = append(out, c)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) inspect(w http.ResponseWriter, r *http.Request) {
	c, err := s.Daemon.Inspect(r.Context(), r.PathValue("id"))
	s.reply(w, r, http.StatusOK, c, err)
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	var req api.StopRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	var timeout time.Duration
	if req.Timeout != nil {
		timeout = time.Duration(*req.Timeout) * time.Second
	}
	err := s.Daemon.Stop(r.Context(), r.PathValue("id"), timeout)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) kill(w http.ResponseWriter, r *http.Request) {
	var req api.KillRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := s.Daemon.Kill(r.Context(), r.PathValue("id"), req.Signal)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

func (s *Server) remove(w http.ResponseWriter, r *http.Request) {
	force, _ := strconv.ParseBool(r.URL.Query().Get("force"))
	err := s.Daemon.Remove(r.Context(), r.PathValue("id"), force)
	s.reply(w, r, http.StatusOK, struct{}{}, err)
}

// logs streams a container's output:
// ?follow=true&tail=N&since=RFC3339&timestamps=true.
func (s *Server) logs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	opts := daemon.LogOptions{Tail: -1}
	opts.Follow, _ = strconv.ParseBool(q.Get("follow"))
	opts.Timestamps, _ = strconv.ParseBool(q.Get("timestamps"))
	if since := q.Get("since"); since != "" {
		t, err := time.Parse(time.RFC3339Nano, since)
		if err != nil {
			s.writeError(w, r, api.WithCategory(api.ErrInvalid,
				fmt.Errorf("since %q: want a time in RFC 3339", since)))
			return
		}
		opts.Since = t
	}
	if t := q.Get("tail"); t != "" && t != "all" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			s.writeError(w, r, api.WithCategory(api.ErrInvalid,
				fmt.Errorf("tail %q: want a number of lines, or all", t)))
			return
		}
		opts.Tail = n
	}
	out := newFrameSender(w)
	err := s.Daemon.Logs(r.Context(), r.PathValue("id"), opts, out.send)
	s.endStream(w, r, out, err, nil)
}

// exec runs a command and streams its output, then its exit code; one
// with stdin takes over the connection (execAttached, exec.go).
func (s *Server) exec(w http.ResponseWriter, r *http.Request) {
	var req api.ExecRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Stdin {
		s.execAttached(w, r, req)
		return
	}
	out := newFrameSender(w)
	code, err := s.Daemon.Exec(r.Context(), r.PathValue("id"), req, nil, out.send)
	s.endStream(w, r, out, err, &code)
}

// endStream finishes a streamed response. An error before the first
// frame is an ordinary error response; after it, the status is sent
// already, so the error travels in a last frame.
func (s *Server) endStream(w http.ResponseWriter, r *http.Request, out *frameSender,
	err error, exit *int) {
	switch {
	case err != nil && !out.started:
		s.writeError(w, r, err)
	case err != nil:
		out.send(api.Frame{Error: err.Error()})
	case exit != nil:
		out.send(api.Frame{Exit: exit})
	case !out.started:
		out.send(api.Frame{}) // an empty log still answers 200
	}
}
