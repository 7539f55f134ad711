package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
	"shibafu.dev/phase8-paas/source"
)

func (s *Server) releaseRoutes(mux *http.ServeMux) {
	s.handle(mux, "POST /v1/apps/{app}/deploy", s.deployUpload)
	s.handle(mux, "POST /v1/apps/{app}/builds", s.deployCommit)
	s.handle(mux, "GET /v1/apps/{app}/releases", s.listReleases)
	s.handle(mux, "GET /v1/apps/{app}/releases/{n}", s.getRelease)
	s.handle(mux, "POST /v1/apps/{app}/rollback", s.rollback)
	s.handle(mux, "POST /v1/apps/{app}/restart", s.restart)
	s.handle(mux, "POST /v1/apps/{app}/scale", s.scale)
	s.handle(mux, "POST /v1/apps/{app}/run", s.run)
}

// background is the context of work a request starts: it keeps the
// request's values but not its end, so that a deploy goes on to the end
// even if the client hangs up (it is told nothing more, but the release
// is recorded either way).
func background(r *http.Request) context.Context {
	return context.WithoutCancel(r.Context())
}

// deployUpload builds and deploys a source tree uploaded as a gzipped
// tarball, which `shibafu-paas deploy` makes of the working directory.
func (s *Server) deployUpload(w http.ResponseWriter, r *http.Request) {
	app := r.PathValue("app")
	if _, err := s.Engine.Store.App(app); err != nil {
		s.writeError(w, r, err)
		return
	}
	limit := s.MaxUpload
	if limit == 0 {
		limit = DefaultMaxUpload
	}
	dir, err := s.workDir(app)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	body := http.MaxBytesReader(w, r.Body, limit)
	if err := source.Unpack(body, dir, limit); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, source.ErrTooLarge) {
			err = api.WithCategory(api.ErrTooLarge,
				fmt.Errorf("upload: the source is larger than %d bytes", limit))
		} else {
			err = api.WithCategory(api.ErrInvalid, fmt.Errorf("upload: %w", err))
		}
		s.writeError(w, r, err)
		return
	}
	st := newStream(w)
	rel, err := s.Engine.Deploy(background(r), app, deploy.Source{Dir: dir, User: user(r)}, st)
	st.End(&rel, err)
}

// deployCommit builds and deploys a commit of the app's git repository;
// the repository's post-receive hook calls it after a push.
func (s *Server) deployCommit(w http.ResponseWriter, r *http.Request) {
	app := r.PathValue("app")
	var req api.BuildRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.Git == nil {
		s.writeError(w, r, api.WithCategory(api.ErrNotFound, errors.New("git is not served")))
		return
	}
	dir, err := s.workDir(app)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	if err := s.Git.Checkout(r.Context(), app, req.Commit, dir); err != nil {
		s.writeError(w, r, err)
		return
	}
	st := newStream(w)
	rel, err := s.Engine.Deploy(background(r), app,
		deploy.Source{Dir: dir, Commit: req.Commit, User: user(r)}, st)
	st.End(&rel, err)
}

// workDir makes a fresh directory for one build's source.
func (s *Server) workDir(app string) (string, error) {
	if err := api.ValidateAppName(app); err != nil {
		return "", err
	}
	parent := filepath.Join(s.Engine.WorkDir, app)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", err
	}
	return os.MkdirTemp(parent, "src-")
}

func (s *Server) listReleases(w http.ResponseWriter, r *http.Request) {
	rels, err := s.Engine.Store.Releases(r.PathValue("app"))
	if rels == nil {
		rels = []api.Release{}
	}
	s.reply(w, r, http.StatusOK, rels, err)
}

func (s *Server) getRelease(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid,
			fmt.Errorf("release %q: want a number from 1", r.PathValue("n"))))
		return
	}
	rel, err := s.Engine.Store.Release(r.PathValue("app"), n)
	s.reply(w, r, http.StatusOK, rel, err)
}

func (s *Server) rollback(w http.ResponseWriter, r *http.Request) {
	var req api.RollbackRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Release < 0 {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid,
			fmt.Errorf("release %d: want a number from 1, or 0 for the previous", req.Release)))
		return
	}
	s.streamRelease(w, r, func(ctx context.Context, st *stream) (*api.Release, error) {
		rel, err := s.Engine.Rollback(ctx, r.PathValue("app"), req.Release, user(r), st)
		return &rel, err
	})
}

func (s *Server) restart(w http.ResponseWriter, r *http.Request) {
	s.streamRelease(w, r, func(ctx context.Context, st *stream) (*api.Release, error) {
		rel, err := s.Engine.Restart(ctx, r.PathValue("app"), user(r), st)
		return &rel, err
	})
}

func (s *Server) scale(w http.ResponseWriter, r *http.Request) {
	var req api.ScaleRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := api.ValidateScale(req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.streamRelease(w, r, func(ctx context.Context, st *stream) (*api.Release, error) {
		return s.Engine.Scale(ctx, r.PathValue("app"), req, user(r), st)
	})
}

// streamRelease runs a change that makes a release, streaming its log.
// A change refused at once (an unknown app, one under way) is answered
// with a plain error status instead.
func (s *Server) streamRelease(w http.ResponseWriter, r *http.Request,
	change func(context.Context, *stream) (*api.Release, error)) {
	if _, err := s.Engine.Store.App(r.PathValue("app")); err != nil {
		s.writeError(w, r, err)
		return
	}
	st := newStream(w)
	rel, err := change(background(r), st)
	st.End(rel, err)
}

// run runs a one-off command; its output streams as Log events and the
// last event carries its exit code.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var req api.RunRequest
	if err := decode(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.Cmd) == 0 {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid, errors.New("run: no command given")))
		return
	}
	if _, err := s.Engine.App(r.Context(), r.PathValue("app"), false); err != nil {
		s.writeError(w, r, err)
		return
	}
	st := newStream(w)
	code, err := s.Engine.Run(r.Context(), r.PathValue("app"), req.Cmd, st)
	if err != nil {
		st.Send(api.Event{Done: true, Error: err.Error()})
		return
	}
	st.Send(api.Event{Done: true, Exit: &code})
}
