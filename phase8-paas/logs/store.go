package logs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"shibafu.dev/phase8-paas/api"
)

// Defaults of a Store's zero fields.
const (
	// DefaultRetention is how much log an app keeps, all files together.
	DefaultRetention = 16 << 20
	// DefaultFiles is how many files an app's log is split into; the
	// oldest file goes when the newest is full.
	DefaultFiles = 4
)

// followBuffer is how many lines a follower may fall behind by; a
// follower that reads slower than that misses lines rather than slow
// down the apps that write them.
const followBuffer = 1024

// Store keeps the logs of the apps, one directory each under Dir. Set
// the fields, then use it from any goroutine.
type Store struct {
	Dir string
	// Retention bounds each app's log, in bytes; 0 means
	// DefaultRetention.
	Retention int64
	// Files is how many files the retention is split into; 0 means
	// DefaultFiles.
	Files int

	mu     sync.Mutex
	apps   map[string]*appLog
	closed chan struct{} // closed by Close, to end the followers
}

// appLog is one app's files and followers.
type appLog struct {
	mu   sync.Mutex
	file File
	subs map[chan api.LogLine]struct{}
}

// Query selects lines of an app's log.
type Query struct {
	// Tail keeps only the last Tail lines of the kept log; negative
	// means all.
	Tail int
	// Since keeps only lines at or after it; zero means all.
	Since time.Time
	// Process keeps only the lines of that process type; empty means
	// all (with a process set, lines of no replica, such as the
	// build's, go).
	Process string
}

func (q Query) match(l api.LogLine) bool {
	return (q.Process == "" || l.Process == q.Process) &&
		(q.Since.IsZero() || !l.Time.Before(q.Since))
}

func (s *Store) app(name string) *appLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apps == nil {
		s.apps = map[string]*appLog{}
		s.closed = make(chan struct{})
	}
	a, ok := s.apps[name]
	if !ok {
		total, files := s.Retention, s.Files
		if total <= 0 {
			total = DefaultRetention
		}
		if files <= 0 {
			files = DefaultFiles
		}
		a = &appLog{subs: map[chan api.LogLine]struct{}{}, file: File{
			Dir: filepath.Join(s.Dir, name), MaxSize: total / int64(files), Keep: files - 1}}
		s.apps[name] = a
	}
	return a
}

// Append adds a line to its app's log and sends it to the app's
// followers. A line of an invalid app name is dropped: the name becomes
// a directory.
func (s *Store) Append(l api.LogLine) error {
	if api.ValidateAppName(l.App) != nil {
		return nil
	}
	if l.Time.IsZero() {
		l.Time = time.Now()
	}
	l.Time = l.Time.UTC()
	data, err := json.Marshal(l)
	if err != nil {
		return err
	}
	a := s.app(l.App)
	a.mu.Lock()
	defer a.mu.Unlock()
	for ch := range a.subs {
		select {
		case ch <- l:
		default: // a slow follower misses the line
		}
	}
	return a.file.Write(append(data, '\n'))
}

// Read returns the kept lines of an app's log that q selects, oldest
// first.
func (s *Store) Read(app string, q Query) ([]api.LogLine, error) {
	if err := api.ValidateAppName(app); err != nil {
		return nil, err
	}
	a := s.app(app)
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.read(q)
}

func (a *appLog) read(q Query) ([]api.LogLine, error) {
	var lines []api.LogLine
	err := Scan(a.file.Paths(), func(l api.LogLine) {
		if !q.match(l) {
			return
		}
		lines = append(lines, l)
		// Keep at most twice the tail, so that a long log is not all
		// held in memory at once.
		if q.Tail >= 0 && len(lines) >= 2*q.Tail+64 {
			lines = append(lines[:0], lines[len(lines)-q.Tail:]...)
		}
	})
	if q.Tail >= 0 && len(lines) > q.Tail {
		lines = lines[len(lines)-q.Tail:]
	}
	return lines, err
}

// Follow calls fn with the kept lines q selects, then with each new one
// as it is appended, until ctx ends. No line is lost or repeated between
// the two: the kept lines are read and the follower joins under the
// app's lock.
func (s *Store) Follow(ctx context.Context, app string, q Query, fn func(api.LogLine)) error {
	if err := api.ValidateAppName(app); err != nil {
		return err
	}
	a := s.app(app)
	ch := make(chan api.LogLine, followBuffer)
	a.mu.Lock()
	lines, err := a.read(q)
	if err == nil {
		a.subs[ch] = struct{}{}
	}
	a.mu.Unlock()
	if err != nil {
		return err
	}
	defer func() {
		a.mu.Lock()
		delete(a.subs, ch)
		a.mu.Unlock()
	}()

	for _, l := range lines {
		fn(l)
	}
	q.Since = time.Time{} // the live lines are newer anyway
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.closed:
			return nil
		case l := <-ch:
			if q.match(l) {
				fn(l)
			}
		}
	}
}

// Remove deletes an app's log, when the app is destroyed.
func (s *Store) Remove(app string) error {
	if api.ValidateAppName(app) != nil {
		return nil
	}
	a := s.app(app)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.file.Close()
	if err := os.RemoveAll(a.file.Dir); err != nil {
		return fmt.Errorf("remove the log of %s: %w", app, err)
	}
	return nil
}

// Close ends the followers and closes every app's current file; a
// later Append opens it again.
func (s *Store) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed != nil {
		select {
		case <-s.closed:
		default:
			close(s.closed)
		}
	}
	for _, a := range s.apps {
		a.mu.Lock()
		a.file.Close()
		a.mu.Unlock()
	}
}
