package logs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// current is the name of the file an app's new lines go to; rotated
// files are 1.jsonl (the newest) to N.jsonl (the oldest).
const current = "current.jsonl"

// File is a set of JSON-lines files in Dir, rotated by size: the
// current one and up to Keep rotated ones. The events of package events
// are kept the same way. It is not safe for concurrent use.
type File struct {
	Dir string
	// MaxSize bounds each file; Keep is how many rotated files stay.
	MaxSize int64
	Keep    int

	f    *os.File
	size int64
}

// open opens (or makes) the current file for appending.
func (fl *File) open() error {
	if err := os.MkdirAll(fl.Dir, 0o700); err != nil {
		return fmt.Errorf("log directory: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(fl.Dir, current),
		os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open log: %w", err)
	}
	fl.f, fl.size = f, st.Size()
	return nil
}

// Write appends one encoded line (with its newline), rotating first if
// it would make the current file larger than maxSize.
func (fl *File) Write(line []byte) error {
	if fl.f == nil {
		if err := fl.open(); err != nil {
			return err
		}
	}
	if fl.size > 0 && fl.size+int64(len(line)) > fl.MaxSize {
		if err := fl.rotate(); err != nil {
			return err
		}
	}
	n, err := fl.f.Write(line)
	fl.size += int64(n)
	if err != nil {
		return fmt.Errorf("write log: %w", err)
	}
	return nil
}

// rotate renames current to 1, 1 to 2 and so on, deleting the oldest,
// then starts an empty current file: the scheme of logrotate's
// defaults, so that the set never holds more than Keep+1 files.
func (fl *File) rotate() error {
	fl.f.Close()
	fl.f = nil
	os.Remove(fl.rotated(fl.Keep))
	for i := fl.Keep - 1; i >= 1; i-- {
		os.Rename(fl.rotated(i), fl.rotated(i+1))
	}
	if fl.Keep > 0 {
		if err := os.Rename(filepath.Join(fl.Dir, current), fl.rotated(1)); err != nil {
			return fmt.Errorf("rotate log: %w", err)
		}
	} else {
		os.Remove(filepath.Join(fl.Dir, current))
	}
	return fl.open()
}

func (fl *File) rotated(i int) string {
	return filepath.Join(fl.Dir, strconv.Itoa(i)+".jsonl")
}

// Paths lists the files oldest first, those that exist.
func (fl *File) Paths() []string {
	var ps []string
	for i := fl.Keep; i >= 1; i-- {
		if _, err := os.Stat(fl.rotated(i)); err == nil {
			ps = append(ps, fl.rotated(i))
		}
	}
	return append(ps, filepath.Join(fl.Dir, current))
}

// Close closes the current file; a later Write opens it again.
func (fl *File) Close() {
	if fl.f != nil {
		fl.f.Close()
		fl.f = nil
	}
}

// Scan calls fn with each line of the files, oldest first. A line that
// does not decode (one cut short by a crash) is skipped.
func Scan[T any](paths []string, fn func(T)) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("read log: %w", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var v T
			if json.Unmarshal(sc.Bytes(), &v) == nil {
				fn(v)
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return fmt.Errorf("read log %s: %w", p, err)
		}
	}
	return nil
}
