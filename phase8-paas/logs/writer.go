package logs

import (
	"bytes"
	"io"
	"sync"
	"time"

	"shibafu.dev/phase8-paas/api"
)

// maxLine bounds a line; a longer one is cut into pieces of this size.
const maxLine = 16 << 10

// lineWriter turns written bytes into log lines, one per newline.
type lineWriter struct {
	mu      sync.Mutex
	partial []byte
	// emit is called with each whole line.
	emit func(line string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i, skip := bytes.IndexByte(w.partial, '\n'), 1
		if i < 0 || i > maxLine {
			if len(w.partial) < maxLine {
				break
			}
			i, skip = maxLine, 0 // cut a long line, losing nothing
		}
		line := bytes.TrimSuffix(w.partial[:i], []byte("\r"))
		w.emit(string(line))
		w.partial = w.partial[i+skip:]
	}
	return len(p), nil
}

// Writer returns a writer whose lines go to an app's log from source,
// stamped with the time they are written: where the engine tees a
// build's log. It never fails, so that a full disk never fails a
// deploy; a last line without a newline is kept back.
func (s *Store) Writer(app, source string) io.Writer {
	return &lineWriter{emit: func(line string) {
		s.Append(api.LogLine{Time: time.Now(), App: app, Source: source, Line: line})
	}}
}
