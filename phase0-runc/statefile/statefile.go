// Package statefile keeps Shibafu's small state files: container configs,
// exit records, network and address records. Every phase writes them the
// same way, so that several processes sharing one state root, or a crash
// half-way, never leave a half-written file:
//
//   - a file is written to a temporary name in the same directory,
//     flushed to disk (fsync), then renamed over the old one, so a reader
//     sees the old content or the new, never a mix;
//   - a change that reads, modifies and writes holds an exclusive
//     flock(2) on a separate lock file for the whole sequence.
package statefile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// WriteFile writes data to path atomically with the given permissions,
// creating the parent directory (0700) if needed.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed

	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		// Without the sync, a crash soon after the rename can leave the
		// new name pointing at an empty file on some filesystems.
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteJSON encodes v as indented JSON and writes it to path atomically,
// readable by its owner only.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "\t")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return WriteFile(path, append(data, '\n'), 0o600)
}

// ReadJSON decodes the JSON file at path into v. A missing file is
// reported with an error that wraps os.ErrNotExist.
func ReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}

// Lock takes an exclusive flock(2) on path, creating the file if needed,
// and blocks until it is granted. Closing the returned file releases it;
// so does the death of the process, which is why a crashed caller never
// leaves a stale lock behind.
//
// Lock a file of its own, never a state file itself: WriteFile replaces
// a state file by rename, and a lock on the old inode would then guard
// nothing.
func Lock(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}
