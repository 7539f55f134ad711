package registry

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// requestInfo collects, for the access log and the metrics, what the
// layers below learn about a request.
type requestInfo struct {
	route  string
	user   string
	err    error
	status int
	bytes  int64
}

type infoKey struct{}

func infoOf(r *http.Request) *requestInfo {
	info, _ := r.Context().Value(infoKey{}).(*requestInfo)
	if info == nil {
		return &requestInfo{} // a handler called without observe, as in a unit test
	}
	return info
}

// setRoute names the endpoint a request reached, for the metrics.
func setRoute(r *http.Request, route string) { infoOf(r).route = route }

// noteError keeps the error a request ended with, for the access log.
func noteError(r *http.Request, err error) { infoOf(r).err = err }

// observe wraps h: it times each request and records its status and
// size, then writes one access log line and updates the metrics.
func (s *Server) observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{route: "none", status: http.StatusOK}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		h.ServeHTTP(&recorder{ResponseWriter: w, info: info}, r)

		elapsed := time.Since(start)
		s.metrics.record(r.Method, info, elapsed, r.ContentLength)
		if s.Logger != nil {
			s.log(r, info, elapsed)
		}
	})
}

// log writes the access log line: fixed text, the facts in fields.
// Credentials never appear; the user name does.
func (s *Server) log(r *http.Request, info *requestInfo, elapsed time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", info.status),
		slog.Int64("bytes", info.bytes),
		slog.Duration("duration", elapsed),
		slog.String("remote", r.RemoteAddr),
	}
	if info.user != "" {
		attrs = append(attrs, slog.String("user", info.user))
	}
	level := slog.LevelInfo
	if info.err != nil {
		attrs = append(attrs, slog.String("error", info.err.Error()))
		if info.status >= 500 {
			level = slog.LevelError
		}
	}
	s.Logger.LogAttrs(r.Context(), level, "request", attrs...)
}

// recorder is a ResponseWriter that notes the status and the size of
// the response. It passes ReadFrom through, so that blobs still go out
// with sendfile(2).
type recorder struct {
	http.ResponseWriter
	info *requestInfo
}

func (rec *recorder) WriteHeader(status int) {
	rec.info.status = status
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	n, err := rec.ResponseWriter.Write(b)
	rec.info.bytes += int64(n)
	return n, err
}

func (rec *recorder) ReadFrom(r io.Reader) (int64, error) {
	n, err := rec.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
	rec.info.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
