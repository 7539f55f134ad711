// Package server is the PaaS's REST API over HTTP: the routes, the
// token check in front of them, the git endpoint, and the OpenAPI
// description of it all. The work itself is package deploy's; a handler
// only reads the request, calls the engine and writes the answer.
package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/dashboard"
	"shibafu.dev/phase8-paas/deploy"
	"shibafu.dev/phase8-paas/tokens"
)

// maxBody bounds a JSON request body; uploads have their own limit.
const maxBody = 1 << 20

// DefaultMaxUpload bounds an uploaded source tarball, unpacked.
const DefaultMaxUpload = 200 << 20

// Server is the API of an Engine. Engine and Tokens must be set.
type Server struct {
	Engine *deploy.Engine
	Tokens *tokens.Store
	// Git serves the apps' git repositories at /git/APP.git; nil means
	// no git endpoint.
	Git *Git
	// MaxUpload bounds an uploaded source tree, unpacked; 0 means
	// DefaultMaxUpload.
	MaxUpload int64
	// Logger gets a line per failed request; nil means slog.Default().
	Logger *slog.Logger
	// Observe serves the apps' logs, metrics, events and autoscalers
	// (observe.go); its nil parts answer 404.
	Observe Observability

	patterns []string // of the /v1 routes, for the OpenAPI test
}

// handle registers a route of the API, and remembers its pattern, so
// that a test can hold the OpenAPI description to the routes served.
func (s *Server) handle(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, h)
	s.patterns = append(s.patterns, pattern)
}

// Handler returns the routes of the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /v1/openapi.json", serveOpenAPI)
	mux.Handle("GET /metrics", s.prometheusHandler())

	v1 := http.NewServeMux()
	s.appRoutes(v1)
	s.releaseRoutes(v1)
	s.configRoutes(v1)
	s.tlsRoutes(v1)
	s.observeRoutes(v1)
	v1.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, api.WithCategory(api.ErrNotFound,
			fmt.Errorf("no route %s %s (see GET /v1/openapi.json)", r.Method, r.URL.Path)))
	})
	mux.Handle("/v1/", s.authenticate(v1))
	if s.Git != nil {
		mux.Handle("/git/", s.authenticate(s.Git))
	}
	mux.Handle("/", dashboard.Handler()) // the web page; every longer pattern above wins
	return mux
}

// authenticate lets through only requests with a valid token: in an
// "Authorization: Bearer TOKEN" header, or as the password of HTTP basic
// auth, which is how git sends it. The token's name goes into the
// request as the user who made any release.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		if !ok {
			_, token, ok = r.BasicAuth()
		}
		var t api.Token
		switch {
		case ok && s.Git.isHookToken(token):
			// A post-receive hook, acting for whoever pushed.
			t = api.Token{Name: r.Header.Get("X-Shibafu-Pusher")}
		case ok:
			t, ok = s.Tokens.Check(token)
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", challenge(r))
			s.writeError(w, r, api.WithCategory(api.ErrUnauthorized, errors.New(
				"missing or wrong API token: make one with `shibafu-paas token create`")))
			return
		}
		r.Header.Set("X-Shibafu-User", t.Name)
		next.ServeHTTP(w, r)
	})
}

// challenge is the WWW-Authenticate header of a refusal. git needs
// Basic to ask for the token as a password. The API says Bearer: a
// browser answers a Basic challenge to a script's fetch with a password
// prompt of its own, which would stall the dashboard.
func challenge(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/git/") {
		return `Basic realm="shibafu-paas"`
	}
	return `Bearer realm="shibafu-paas"`
}

func bearer(r *http.Request) (string, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return strings.TrimSpace(token), ok
}

// user names the token of an authenticated request.
func user(r *http.Request) string { return r.Header.Get("X-Shibafu-User") }

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// decode reads a JSON request body into v; unknown fields are refused,
// so that a typo in a client does not pass silently.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
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

// writeError answers with the status of err's category and its message.
// Errors of no category are the server's own failures, logged here once.
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
