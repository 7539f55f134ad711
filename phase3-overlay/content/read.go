package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/opencontainers/go-digest"
)

// Open returns a reader of blob d that hashes what it reads: at the end
// of the blob, instead of io.EOF, it returns an error wrapping
// ErrDigestMismatch if the bytes on disk no longer match the digest.
// Callers must read to the end for the check to happen.
func (s *Store) Open(d digest.Digest) (io.ReadCloser, error) {
	path, err := s.Path(d)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, d)
	} else if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return &verifier{f: f, want: d, digester: d.Algorithm().Digester()}, nil
}

// verifier checks a blob's digest as it is read.
type verifier struct {
	f        *os.File
	want     digest.Digest
	digester digest.Digester
}

func (v *verifier) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.digester.Hash().Write(p[:n])
	if err == io.EOF && v.digester.Digest() != v.want {
		return n, fmt.Errorf("%w: blob %s has content %s", ErrDigestMismatch,
			v.want, v.digester.Digest())
	}
	return n, err
}

func (v *verifier) Close() error { return v.f.Close() }

// ReadAll returns the whole of blob d, verified, refusing blobs larger
// than max bytes: manifests and configs are small, and a limit keeps a
// hostile image from exhausting memory.
func (s *Store) ReadAll(d digest.Digest, max int64) ([]byte, error) {
	r, err := s.Open(d)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", d, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, d, max)
	}
	// A blob of exactly max+1 bytes or more stops before EOF; one that
	// fits was read to EOF, so the verifier has checked it.
	return data, nil
}

// MaxJSON is the largest manifest, index or config ReadJSON accepts.
const MaxJSON = 4 << 20

// ReadJSON decodes blob d, verified, into v.
func (s *Store) ReadJSON(d digest.Digest, v any) error {
	data, err := s.ReadAll(d, MaxJSON)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode blob %s: %w", d, err)
	}
	return nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
