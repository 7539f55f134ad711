package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"shibafu.dev/phase7-runtime/api"
)

// followInterval is how often a followed log is read again. Polling
// the files keeps this simple; inotify would wake up sooner.
const followInterval = 100 * time.Millisecond

// LogOptions select what Logs sends.
type LogOptions struct {
	// Follow keeps sending new output until the container exits or ctx
	// ends, like `docker logs -f`.
	Follow bool
	// Tail sends only the last Tail lines of each stream; negative
	// means all.
	Tail int
}

// Logs sends a container's output to send, stdout and stderr each as
// their own stream, from the log files its shim writes (phase 1).
func (d *Daemon) Logs(ctx context.Context, idOrName string, opts LogOptions,
	send func(api.Frame) error) error {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return err
	}
	files, err := d.containers.Logs(rec.ID)
	if err != nil {
		return categorize(err)
	}
	var streams []*logStream
	if opts.Tail < 0 {
		// The output of runs before the policy restarted it.
		streams = append(streams,
			&logStream{name: api.Stdout, path: d.previousLog(rec.ID, "stdout")},
			&logStream{name: api.Stderr, path: d.previousLog(rec.ID, "stderr")})
	}
	streams = append(streams,
		&logStream{name: api.Stdout, path: files.Stdout},
		&logStream{name: api.Stderr, path: files.Stderr})
	for _, s := range streams {
		if err := s.seekTail(opts.Tail); err != nil {
			return err
		}
	}
	for {
		// Look at the state before reading, so that output written
		// just before the exit is still read below.
		running := d.state(ctx, rec).Status == api.StatusRunning
		for _, s := range streams {
			if err := s.copy(send); err != nil {
				return err
			}
		}
		if !opts.Follow || !running {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.closing:
			return nil
		case <-time.After(followInterval):
		}
	}
}

// logStream reads one log file from an offset on.
type logStream struct {
	name   string
	path   string
	offset int64
}

// seekTail sets the offset to the start of the last n lines; n < 0
// means the start of the file.
func (s *logStream) seekTail(n int) error {
	if n < 0 {
		return nil
	}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	end := len(data)
	if end > 0 && data[end-1] == '\n' {
		end-- // the last line's newline does not start another line
	}
	start := end
	for range n {
		i := bytes.LastIndexByte(data[:start], '\n')
		if i < 0 {
			start = -1
			break
		}
		start = i
	}
	s.offset = int64(start + 1)
	if n == 0 {
		s.offset = int64(len(data))
	}
	return nil
}

// copy sends what was appended to the file since the last call.
func (s *logStream) copy(send func(api.Frame) error) error {
	f, err := os.Open(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(s.offset, io.SeekStart); err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			s.offset += int64(n)
			if err := send(api.Frame{Stream: s.name, Data: buf[:n]}); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read log: %w", err)
		}
	}
}
