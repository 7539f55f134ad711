package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/opencontainers/go-digest"
)

// bufPool holds the copy buffers of uploads: large enough that a write
// to the data file is rarely smaller than what the network delivered.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 1<<20); return &b }}

// Append adds what r yields to the upload and returns the upload's new
// size. start is where the client says the chunk begins (the spec's
// Content-Range); a chunk that does not begin at the current end is
// refused with ErrRangeInvalid. Pass -1 when the client gave no range.
// max, when over 0, limits the upload's total size.
//
// If r fails half-way (a client that went away) the bytes received so
// far stay, and the client may resume from the size GET reports.
func (u *Upload) Append(ctx context.Context, r io.Reader, start, max int64) (int64, error) {
	rh, err := u.state()
	if err != nil {
		return 0, err
	}
	defer rh.mu.Unlock()
	if start >= 0 && start != rh.n {
		return rh.n, fmt.Errorf("%w: chunk starts at %d, upload is %d bytes", ErrRangeInvalid,
			start, rh.n)
	}

	f, err := os.OpenFile(u.path("data"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return rh.n, fmt.Errorf("%w: %s", ErrUploadUnknown, u.id)
	}
	defer f.Close()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	for {
		if err := ctx.Err(); err != nil {
			return rh.n, err
		}
		n, rerr := r.Read(*bp)
		if max > 0 && rh.n+int64(n) > max {
			return rh.n, fmt.Errorf("%w: upload is over %d bytes", ErrTooLarge, max)
		}
		if n > 0 {
			if _, err := f.Write((*bp)[:n]); err != nil {
				rh.h = nil // the file and the hash may differ now: rehash later
				return rh.n, fmt.Errorf("write upload: %w", err)
			}
			rh.h.Write((*bp)[:n])
			rh.n += int64(n)
		}
		if rerr == io.EOF {
			return rh.n, nil
		}
		if rerr != nil {
			return rh.n, fmt.Errorf("read upload: %w", rerr)
		}
	}
}

// Commit finishes the upload as blob d: it checks that the data hashes
// to d, then renames it into the blob store and links it into the
// upload's repository. A mismatch deletes the upload and returns
// ErrDigestMismatch; nothing is stored.
func (u *Upload) Commit(d digest.Digest) error {
	rh, err := u.state()
	if err != nil {
		return err
	}
	defer rh.mu.Unlock()

	got, err := u.digest(rh, d.Algorithm())
	if err != nil {
		return err
	}
	if got != d {
		u.remove()
		return fmt.Errorf("%w: upload is %s, not %s", ErrDigestMismatch, got, d)
	}
	if err := u.publish(d); err != nil {
		return err
	}
	u.remove()
	return nil
}

// digest returns the digest of the upload's data with algorithm alg,
// from the running hash when it is sha256.
func (u *Upload) digest(rh *runningHash, alg digest.Algorithm) (digest.Digest, error) {
	if alg == digest.SHA256 {
		return digest.NewDigest(alg, rh.h), nil
	}
	f, err := os.Open(u.path("data"))
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrUploadUnknown, u.id)
	}
	defer f.Close()
	return alg.FromReader(f)
}

// publish makes the verified data visible as blob d, under the GC lock
// so that a collection cannot run between the rename and the link.
func (u *Upload) publish(d digest.Digest) error {
	unlock, err := u.s.gcLock(false)
	if err != nil {
		return err
	}
	defer unlock()

	data := u.path("data")
	if !u.s.noSync {
		if err := syncFile(data); err != nil {
			return fmt.Errorf("commit blob: %w", err)
		}
	}
	if u.s.HasBlob(d) {
		// The store has it already (another repository pushed it):
		// keep the old file, renewing its time for a running GC.
		if err := touch(u.s.blobPath(d)); err != nil {
			return fmt.Errorf("commit blob: %w", err)
		}
	} else if err := os.Rename(data, u.s.blobPath(d)); err != nil {
		return fmt.Errorf("commit blob: %w", err)
	}
	return u.s.link(u.repo, d)
}

// Cancel abandons the upload and deletes what it received.
func (u *Upload) Cancel() error {
	rh, err := u.state()
	if err != nil {
		return err
	}
	defer rh.mu.Unlock()
	u.remove()
	return nil
}

// remove deletes the upload's files and running hash.
func (u *Upload) remove() {
	os.RemoveAll(u.dir())
	u.s.hashes.Delete(u.id)
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// touch sets a file's modification time to now.
func touch(path string) error {
	err := os.Chtimes(path, time.Now(), time.Now())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
