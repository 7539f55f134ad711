package registry

import (
	"log/slog"
	"net/http"
	"sync"

	"shibafu.dev/phase5-registry/manifest"
	"shibafu.dev/phase5-registry/storage"
)

// Server serves the distribution API for a Store. Set Store; every other
// field is optional and documents its default. A Server is an
// http.Handler: give it to an http.Server, or to httptest in a test.
type Server struct {
	// Store holds the content. Required.
	Store *storage.Store
	// Logger receives one structured line per request; nil logs nothing.
	Logger *slog.Logger
	// Auth checks credentials and scopes; nil lets anyone read and write.
	Auth Authenticator
	// MaxManifestSize limits manifest bodies; 0 means 4 MiB, the size
	// the spec asks registries to accept at least.
	MaxManifestSize int64
	// MaxBlobSize limits each blob upload; 0 means no limit.
	MaxBlobSize int64

	once    sync.Once
	api     http.Handler
	metrics *metrics
}

var _ http.Handler = (*Server)(nil)

// ServeHTTP answers one request of the API, or /metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.once.Do(s.init)
	if r.URL.Path == "/metrics" {
		s.metrics.handler().ServeHTTP(w, r)
		return
	}
	s.api.ServeHTTP(w, r)
}

// init wires the API inside the layer that logs and measures it. There
// is no http.ServeMux: it would clean "/v2/a/../b" into another path
// and redirect, where the spec wants the name refused as NAME_INVALID.
func (s *Server) init() {
	s.metrics = newMetrics()
	s.api = s.observe(http.HandlerFunc(s.route))
}

func (s *Server) maxManifest() int64 {
	if s.MaxManifestSize > 0 {
		return s.MaxManifestSize
	}
	return manifest.MaxSize
}
