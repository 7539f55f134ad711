package content

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Write stores the bytes of r as a blob and returns its digest and size.
// When expected is not empty the bytes must hash to it, or Write returns
// an error wrapping ErrDigestMismatch and stores nothing; when the blob
// is already present, r is not read at all.
//
// The bytes go to a temporary file, which is synced, checked and then
// renamed into place (the ingest-verify-commit order of containerd): a
// crash leaves at worst a stray file in ingest/, never a wrong blob.
func (s *Store) Write(ctx context.Context, r io.Reader, expected digest.Digest) (
	digest.Digest, int64, error) {
	if expected != "" {
		if err := check(expected); err != nil {
			return "", 0, err
		}
		if size, err := s.Size(expected); err == nil {
			return expected, size, nil
		}
	}

	tmp, err := os.CreateTemp(s.ingestDir(), "blob-")
	if err != nil {
		return "", 0, fmt.Errorf("ingest blob: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once the rename has happened
	defer tmp.Close()

	d, size, err := copyDigest(ctx, tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if err != nil {
		return "", 0, fmt.Errorf("ingest blob: %w", err)
	}
	if expected != "" && d != expected {
		return "", 0, fmt.Errorf("%w: expected %s, got %s", ErrDigestMismatch, expected, d)
	}

	path, _ := s.Path(d) // d was computed here, so it is well formed
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", 0, fmt.Errorf("ingest blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", 0, fmt.Errorf("commit blob: %w", err)
	}
	return d, size, nil
}

// copyDigest copies r to w while hashing it, checking ctx between
// chunks so a long import can be cancelled.
func copyDigest(ctx context.Context, w io.Writer, r io.Reader) (digest.Digest, int64, error) {
	digester := digest.SHA256.Digester()
	buf := make([]byte, 1<<20)
	var size int64
	for {
		if err := ctx.Err(); err != nil {
			return "", size, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			digester.Hash().Write(buf[:n])
			if _, werr := w.Write(buf[:n]); werr != nil {
				return "", size, werr
			}
			size += int64(n)
		}
		if err == io.EOF {
			return digester.Digest(), size, nil
		}
		if err != nil {
			return "", size, err
		}
	}
}

// PutJSON stores v encoded as JSON and returns its descriptor with the
// given media type: the way manifests, indexes and configs are stored.
func (s *Store) PutJSON(ctx context.Context, mediaType string, v any) (ocispec.Descriptor, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return ocispec.Descriptor{}, fmt.Errorf("encode %s: %w", mediaType, err)
	}
	d, size, err := s.Write(ctx, bytesReader(data), "")
	if err != nil {
		return ocispec.Descriptor{}, err
	}
	return ocispec.Descriptor{MediaType: mediaType, Digest: d, Size: size}, nil
}
