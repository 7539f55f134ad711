package layer

import (
	// go-digest finds its hash functions through crypto.Hash, which
	// knows SHA-256 only once the package is linked in.
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	_ "crypto/sha256"
	"fmt"
	"io"
	"os"

	"github.com/opencontainers/go-digest"
)

// Mode says what Apply does with whiteouts.
type Mode int

const (
	// Flat carries whiteouts out: the entries they name are deleted, and
	// the target ends up as the merged tree of every layer applied so
	// far. This is how `umoci unpack` and `docker export` see an image.
	Flat Mode = iota
	// Overlay records whiteouts as overlayfs markers instead, in a
	// target that holds this one layer alone and will be one lowerdir of
	// an overlay mount.
	Overlay
)

// Options control Apply. The zero value applies a layer flat and refuses
// device nodes.
type Options struct {
	// Mode chooses how whiteouts are applied.
	Mode Mode
	// Devices allows character and block device nodes. Only an image
	// from a trusted source should carry them; containers get their /dev
	// from the runtime anyway.
	Devices bool
}

// Stats describe an applied layer.
type Stats struct {
	// DiffID is the digest of the uncompressed tar stream, the value an
	// image config lists in rootfs.diff_ids (image-spec "config.md").
	DiffID digest.Digest
	// Size is the length of the uncompressed tar stream in bytes.
	Size int64
	// Entries counts the tar entries, whiteouts included.
	Entries int
}

// Apply unpacks the tar layer r (plain or gzip-compressed) into the
// existing directory dst. It refuses entries that would write outside
// dst with an error wrapping ErrUnsafePath, and stops at the first
// error, leaving dst partly written: callers unpack into a fresh
// directory and delete it on failure.
//
// File ownership is kept when running as root; modes (setuid bits
// included), times and extended attributes are kept where the file
// system allows.
func Apply(ctx context.Context, dst string, r io.Reader, opts Options) (Stats, error) {
	plain, err := Decompress(r)
	if err != nil {
		return Stats{}, err
	}
	digester := digest.SHA256.Digester()
	counter := &countingReader{r: io.TeeReader(plain, digester.Hash())}

	root, err := os.OpenRoot(dst)
	if err != nil {
		return Stats{}, fmt.Errorf("open layer target: %w", err)
	}
	defer root.Close()
	x := newExtractor(root, opts)

	tr := tar.NewReader(counter)
	for {
		if err := ctx.Err(); err != nil {
			return Stats{}, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Stats{}, fmt.Errorf("read layer: %w", err)
		}
		if err := x.entry(hdr, tr); err != nil {
			return Stats{}, fmt.Errorf("apply %q: %w", hdr.Name, err)
		}
	}
	if err := x.finish(); err != nil {
		return Stats{}, err
	}

	// The zero blocks after the last entry belong to the stream, and so
	// to its diff ID; reading to the end also lets gzip check its CRC.
	if _, err := io.Copy(io.Discard, counter); err != nil {
		return Stats{}, fmt.Errorf("read layer: %w", err)
	}
	return Stats{DiffID: digester.Digest(), Size: counter.n, Entries: x.entries}, nil
}

// Magic numbers at the start of compressed streams.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Decompress looks at the first bytes of r to tell a gzip stream from a
// plain tar (media types "tar+gzip" and "tar") and returns a reader of
// the uncompressed tar. Zstd streams are recognised and refused.
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read layer: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read gzip layer: %w", err)
		}
		return zr, nil
	case bytes.HasPrefix(head, zstdMagic):
		return nil, fmt.Errorf("%w: zstd compression", ErrUnsupported)
	}
	return br, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
