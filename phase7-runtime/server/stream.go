package server

import (
	"encoding/json"
	"net/http"

	"shibafu.dev/phase7-runtime/api"
)

// frameSender writes Frames as JSON Lines, flushing each one, so that
// the client sees output as soon as it is produced.
type frameSender struct {
	w       http.ResponseWriter
	enc     *json.Encoder
	started bool
}

func newFrameSender(w http.ResponseWriter) *frameSender {
	return &frameSender{w: w, enc: json.NewEncoder(w)}
}

// send writes one frame; the first one sends the response header.
func (f *frameSender) send(fr api.Frame) error {
	if !f.started {
		f.w.Header().Set("Content-Type", "application/jsonl")
		f.w.WriteHeader(http.StatusOK)
		f.started = true
	}
	if err := f.enc.Encode(fr); err != nil {
		return err
	}
	http.NewResponseController(f.w).Flush()
	return nil
}
