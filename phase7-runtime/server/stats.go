package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"shibafu.dev/phase7-runtime/api"
)

// stats answers a container's latest sample, or with ?stream=1 a sample
// per sampling interval as JSON Lines, flushed one by one.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	stream, _ := strconv.ParseBool(r.URL.Query().Get("stream"))
	if !stream {
		st, err := s.Daemon.Stats(r.Context(), r.PathValue("id"))
		s.reply(w, r, http.StatusOK, st, err)
		return
	}
	enc := json.NewEncoder(w)
	started := false
	err := s.Daemon.StatsStream(r.Context(), r.PathValue("id"), func(st api.Stats) error {
		if !started {
			w.Header().Set("Content-Type", "application/jsonl")
			w.WriteHeader(http.StatusOK)
			started = true
		}
		if err := enc.Encode(st); err != nil {
			return err
		}
		return http.NewResponseController(w).Flush()
	})
	if err != nil && !started {
		s.writeError(w, r, err)
	}
}
