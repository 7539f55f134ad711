package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/daemon"
)

// maxBody bounds a request body; every request of the API is small.
const maxBody = 1 << 20

// Server is the HTTP face of a Daemon. Daemon must be set; a nil Logger
// means slog.Default().
type Server struct {
	Daemon *daemon.Daemon
	Logger *slog.Logger
}

// Handler returns the routes of the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(api.RouteInfo, s.info)
	mux.Handle(api.RouteMetrics, s.MetricsHandler())
	s.containerRoutes(mux)
	s.lifecycleRoutes(mux)
	s.copyRoutes(mux)
	s.imageRoutes(mux)
	s.networkRoutes(mux)
	s.volumeRoutes(mux)
	s.systemRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, api.WithCategory(api.ErrNotFound,
			fmt.Errorf("no route %s %s (this daemon speaks API %s)", r.Method, r.URL.Path,
				api.Version)))
	})
	return mux
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	info, err := s.Daemon.Info(r.Context())
	s.reply(w, r, http.StatusOK, info, err)
}

// decode reads a JSON request body into v; unknown fields are refused,
// so that a typo in a client does not pass silently.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return api.WithCategory(api.ErrInvalid, fmt.Errorf("request body: %w", err))
	}
	return nil
}

// reply writes v with status, or the error if there is one.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// writeError answers with the status of err's category (api.Status) and
// its message. Errors of no category are the daemon's own failures: the
// operator needs to hear of those, so they are logged here, once.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := api.Status(err)
	if status == http.StatusInternalServerError {
		s.logger().Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, api.Error{Message: err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
