package daemon

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// logEntry is one line of a container's output, as the daemon keeps it:
// one JSON object per line of the log file (JSON Lines), like Docker's
// json-file log driver.
type logEntry struct {
	// Stream is "stdout" or "stderr".
	Stream string `json:"stream"`
	// Time is when the daemon read the line from the shim's file.
	Time time.Time `json:"time"`
	// Line is the line without its newline.
	Line string `json:"line"`
}

// logFile is a container's JSON-lines log, rotated by size: when
// writing would take PATH past maxSize bytes, PATH.1 becomes PATH.2 and
// so on, PATH becomes PATH.1, and a new PATH starts. At most files files
// are kept in all; the oldest is dropped.
type logFile struct {
	path    string
	maxSize int64
	files   int
}

// rotated is the name of the n-th older file; n = 0 is the current one.
func (l *logFile) rotated(n int) string {
	if n == 0 {
		return l.path
	}
	return l.path + "." + strconv.Itoa(n)
}

// append writes entries at the end of the log, rotating it whenever the
// next entry would take the current file past maxSize (a single entry
// larger than that gets a file of its own).
func (l *logFile) append(entries []logEntry) error {
	var size int64
	if fi, err := os.Stat(l.path); err == nil {
		size = fi.Size()
	}
	var buf []byte
	for _, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("write log: %w", err)
		}
		line = append(line, '\n')
		if used := size + int64(len(buf)); used > 0 && used+int64(len(line)) > l.maxSize {
			if err := l.write(buf); err != nil {
				return err
			}
			if err := l.rotate(); err != nil {
				return err
			}
			size, buf = 0, nil
		}
		buf = append(buf, line...)
	}
	return l.write(buf)
}

// write appends buf to the current file, in one write(2).
func (l *logFile) write(buf []byte) error {
	if len(buf) == 0 {
		return nil
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("write log: %w", err)
	}
	_, err = f.Write(buf)
	return errors.Join(err, f.Close())
}

// rotate shifts every file one place older and drops the oldest, like
// logrotate does. A reader following PATH keeps its open file, which is
// now PATH.1, and reopens PATH when it notices (see logReader).
func (l *logFile) rotate() error {
	if err := os.Remove(l.rotated(l.files - 1)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("rotate log: %w", err)
	}
	for n := l.files - 1; n > 0; n-- {
		err := os.Rename(l.rotated(n-1), l.rotated(n))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("rotate log: %w", err)
		}
	}
	return nil
}

// readOld returns every entry of the rotated files, oldest first.
func (l *logFile) readOld() ([]logEntry, error) {
	var out []logEntry
	for n := l.files - 1; n > 0; n-- {
		f, err := os.Open(l.rotated(n))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read log: %w", err)
		}
		r := &logReader{f: f, br: bufio.NewReader(f)}
		entries, err := r.next()
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, entries...)
	}
	return out, nil
}

// logReader reads a log file as it grows, like `tail -F`: it keeps
// reading its open file, and when the name now belongs to another file
// (a rotation) and the old one is read to its end, it opens the new one.
type logReader struct {
	path    string
	f       *os.File
	br      *bufio.Reader
	partial []byte // a line read before its newline was written
}

// openLogReader opens the current file of l; a missing file is read as
// empty until it appears.
func openLogReader(l *logFile) (*logReader, error) {
	r := &logReader{path: l.path}
	return r, r.reopen()
}

// reopen opens the file now at r.path, if there is one.
func (r *logReader) reopen() error {
	f, err := os.Open(r.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	if r.f != nil {
		r.f.Close()
	}
	r.f, r.br, r.partial = f, bufio.NewReader(f), nil
	return nil
}

// next returns the entries written since the last call, following a
// rotation.
func (r *logReader) next() ([]logEntry, error) {
	var out []logEntry
	for {
		if r.f == nil {
			if err := r.reopen(); err != nil || r.f == nil {
				return out, err
			}
		}
		entries, err := r.readToEnd()
		out = append(out, entries...)
		if err != nil || !r.rotated() {
			return out, err
		}
		if err := r.reopen(); err != nil {
			return out, err
		}
	}
}

// readToEnd decodes the whole lines up to the end of the open file.
func (r *logReader) readToEnd() ([]logEntry, error) {
	var out []logEntry
	for {
		line, err := r.br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			r.partial = append(r.partial, line...)
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("read log: %w", err)
		}
		if len(r.partial) > 0 {
			line, r.partial = append(r.partial, line...), nil
		}
		var e logEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return out, fmt.Errorf("read log %s: %w", r.path, err)
		}
		out = append(out, e)
	}
}

// rotated reports whether r.path names another file than the open one.
func (r *logReader) rotated() bool {
	if r.path == "" {
		return false
	}
	now, err := os.Stat(r.path)
	if err != nil {
		return false
	}
	open, err := r.f.Stat()
	return err == nil && !os.SameFile(now, open)
}

func (r *logReader) close() {
	if r.f != nil {
		r.f.Close()
	}
}
