package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"

	"shibafu.dev/phase8-paas/api"
)

// stream answers a request with a stream of api.Events, one JSON object
// a line (JSON Lines), flushed as each is written, so that a build's
// log reaches the user as it is made. Its Write method turns each line
// of text into a Log event; it is safe for concurrent use.
type stream struct {
	mu      sync.Mutex
	w       http.ResponseWriter
	rc      *http.ResponseController
	enc     *json.Encoder
	partial []byte
}

func newStream(w http.ResponseWriter) *stream {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	return &stream{w: w, rc: http.NewResponseController(w), enc: json.NewEncoder(w)}
}

// Write sends every whole line of p as a Log event and keeps the rest
// for the next Write. It never fails: a client that went away only
// misses the log, and the work goes on.
func (s *stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partial = append(s.partial, p...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			break
		}
		s.send(api.Event{Log: string(s.partial[:i])})
		s.partial = s.partial[i+1:]
	}
	return len(p), nil
}

// Send sends one event, after any partial line of log.
func (s *stream) Send(ev api.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.partial) > 0 {
		s.send(api.Event{Log: string(s.partial)})
		s.partial = nil
	}
	s.send(ev)
}

func (s *stream) send(ev api.Event) {
	s.enc.Encode(ev)
	s.rc.Flush()
}

// End sends the last event: the release made, or the error.
func (s *stream) End(rel *api.Release, err error) {
	if err != nil {
		s.Send(api.Event{Done: true, Error: err.Error()})
		return
	}
	s.Send(api.Event{Done: true, Release: rel})
}
