package daemon

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase1-libcontainer/container"

	"shibafu.dev/phase7-runtime/api"
)

// Exec runs a command in a running container, like `docker exec`,
// sending its output to send as it comes, and returns its exit code.
// With req.Stdin, stdin is the command's input; with req.TTY, the
// command runs on a terminal, whose output is sent as stdout.
// Cancelling ctx kills the command.
func (d *Daemon) Exec(ctx context.Context, idOrName string, req api.ExecRequest,
	stdin io.Reader, send func(api.Frame) error) (int, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return 0, err
	}
	if len(req.Cmd) == 0 {
		return 0, invalid(fmt.Errorf("exec: no command given"))
	}
	opts := container.ExecOptions{Args: req.Cmd, Env: req.Env, Cwd: req.WorkingDir,
		TTY: req.TTY, Width: req.Width, Height: req.Height}
	if req.TTY && !slices.ContainsFunc(req.Env, func(e string) bool {
		return strings.HasPrefix(e, "TERM=")
	}) {
		opts.Env = append(slices.Clone(req.Env), "TERM=xterm") // as docker sets it
	}
	if req.User != "" {
		uid, gid, err := bundle.ParseUser(req.User)
		if err != nil {
			return 0, invalid(err)
		}
		opts.User = &specs.User{UID: uid, GID: gid}
	}

	var mu sync.Mutex // the two streams write from their own goroutines
	stdio := container.Stdio{
		Stdout: &frameWriter{stream: api.Stdout, send: send, mu: &mu},
		Stderr: &frameWriter{stream: api.Stderr, send: send, mu: &mu},
	}
	if req.Stdin && stdin != nil {
		in, err := pipeFrom(stdin)
		if err != nil {
			return 0, err
		}
		defer in.Close()
		stdio.Stdin = in
	}
	exit, err := d.containers.Exec(ctx, rec.ID, opts, stdio)
	if err != nil {
		return 0, categorize(err)
	}
	return exit.Code, nil
}

// pipeFrom returns the read end of a pipe that r is copied into. The
// command gets a real file as its stdin: libcontainer would otherwise
// copy r itself and wait for r's end even after the command exited.
// Closing the returned file ends the copy.
func pipeFrom(r io.Reader) (*os.File, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("exec stdin: %w", err)
	}
	go func() {
		io.Copy(pw, r)
		pw.Close()
	}()
	return pr, nil
}

// frameWriter turns the writes of one stream into Frames.
type frameWriter struct {
	stream string
	send   func(api.Frame) error
	mu     *sync.Mutex
}

func (w *frameWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// send may keep the frame (JSON encoding does not), but copy anyway:
	// the caller reuses p.
	if err := w.send(api.Frame{Stream: w.stream, Data: append([]byte(nil), p...)}); err != nil {
		return 0, err
	}
	return len(p), nil
}
