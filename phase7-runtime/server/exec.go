package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// execAttached runs an exec whose input comes from the client. HTTP/1.1
// has no way to stream a request body while the response streams back,
// so the connection is upgraded, as docker's attach does: the server
// answers 101 Switching Protocols and takes the connection over from
// net/http (Hijack). From then on the client sends stdin Frames and the
// server the output Frames, then one with the exit code, on the same
// connection. A client that hangs up kills the command.
func (s *Server) execAttached(w http.ResponseWriter, r *http.Request, req api.ExecRequest) {
	if !upgradesTo(r, api.ExecProtocol) {
		s.writeError(w, r, api.WithCategory(api.ErrInvalid, fmt.Errorf(
			"exec with stdin: the request must upgrade the connection to %s",
			api.ExecProtocol)))
		return
	}
	// An unknown container is an ordinary error response, before the
	// connection changes hands.
	if _, err := s.Daemon.Inspect(r.Context(), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		s.writeError(w, r, fmt.Errorf("exec: take over the connection: %w", err))
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Time{})
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: %s\r\n"+
		"Connection: Upgrade\r\n\r\n", api.ExecProtocol)
	if err := buf.Flush(); err != nil {
		return
	}

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stdin, stdinW := io.Pipe()
	defer stdin.Close()
	go readStdin(buf, stdinW, cancel)

	var mu sync.Mutex
	enc := json.NewEncoder(conn)
	send := func(f api.Frame) error {
		mu.Lock()
		defer mu.Unlock()
		return enc.Encode(f)
	}
	code, err := s.Daemon.Exec(ctx, r.PathValue("id"), req, stdin, send)
	if err != nil {
		send(api.Frame{Error: err.Error()})
		return
	}
	send(api.Frame{Exit: &code})
}

// readStdin copies the data of the client's stdin Frames to w; one
// without data closes w. When the client hangs up, it calls hangUp.
func readStdin(r io.Reader, w *io.PipeWriter, hangUp func()) {
	defer hangUp()
	dec := json.NewDecoder(r)
	for {
		var f api.Frame
		if err := dec.Decode(&f); err != nil {
			w.CloseWithError(err)
			return
		}
		switch {
		case f.Stream != api.Stdin:
		case len(f.Data) == 0:
			w.Close()
		default:
			w.Write(f.Data) // fails once the command is gone: nothing to do
		}
	}
}

// upgradesTo reports whether r asks to upgrade its connection to
// protocol.
func upgradesTo(r *http.Request, protocol string) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), protocol) &&
		strings.Contains(strings.ToLower(r.Header.Get("Connection")), "upgrade")
}
