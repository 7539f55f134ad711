package source

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// ErrTooLarge is wrapped by Unpack's error when the upload, unpacked,
// is larger than allowed: "upload exceeds N bytes".
var ErrTooLarge = errors.New("upload exceeds")

// ErrUnsafe is wrapped by Unpack's error for an entry that could reach
// outside the directory or is of a kind a source tree has no use for.
var ErrUnsafe = errors.New("unsafe entry")

// Unpack extracts the gzip-compressed tar stream r into dir, made if
// need be. It takes regular files, directories and symlinks; it refuses
// absolute names, names with "..", symlinks whose targets lead out of
// dir, and any other kind of entry (hard links, devices, ...), so that
// nothing is written outside dir; all writes also go through an
// os.Root of dir. Modes keep their permission bits only. Once the
// unpacked stream passes limit bytes (headers counted), it stops with
// "upload exceeds N bytes", an ErrTooLarge. What was extracted before an
// error stays: extract into a fresh directory and remove it on error.
func Unpack(r io.Reader, dir string, limit int64) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	defer zr.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	defer root.Close()

	counted := &limitReader{r: zr, left: limit, limit: limit}
	tr := tar.NewReader(counted)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return counted.explain(fmt.Errorf("unpack: %w", err))
		}
		if err := extract(root, tr, hdr); err != nil {
			return counted.explain(fmt.Errorf("unpack %s: %w", hdr.Name, err))
		}
	}
}

// limitReader reads at most limit bytes, then fails.
type limitReader struct {
	r           io.Reader
	left, limit int64
	over        bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.over = true
		return 0, l.tooLarge()
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

func (l *limitReader) tooLarge() error {
	return fmt.Errorf("%w %d bytes", ErrTooLarge, l.limit)
}

// explain puts an error caused by passing the limit plainly: the tar
// reader may have reported it as a truncated stream.
func (l *limitReader) explain(err error) error {
	if l.over {
		return l.tooLarge()
	}
	return err
}

// extract creates one entry of the stream in root.
func extract(root *os.Root, tr *tar.Reader, hdr *tar.Header) error {
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil // git archive's note of the commit, no file
	}
	name, err := entryName(hdr.Name)
	if err != nil || name == "." {
		return err
	}
	mode := fs.FileMode(hdr.Mode).Perm()
	if err := checkParents(root, name); err != nil {
		return err
	}
	if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := root.MkdirAll(name, mode|0o700); err != nil {
			return err
		}
		return root.Chmod(name, mode|0o700)
	case tar.TypeReg:
		if err := removeLink(root, name); err != nil {
			return err
		}
		f, err := root.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		return errors.Join(err, f.Close())
	case tar.TypeSymlink:
		if !inside(name, hdr.Linkname) {
			return fmt.Errorf("%w: symlink to %q leads out of the directory", ErrUnsafe,
				hdr.Linkname)
		}
		if err := removeLink(root, name); err != nil {
			return err
		}
		return root.Symlink(hdr.Linkname, name)
	}
	return fmt.Errorf("%w: type %q: only files, directories and symlinks are allowed",
		ErrUnsafe, hdr.Typeflag)
}

// entryName checks an entry's name: relative, with no "..", once a
// leading "./" is dropped.
func entryName(name string) (string, error) {
	clean := strings.TrimSuffix(strings.TrimPrefix(name, "./"), "/")
	if clean == "" || clean == "." {
		return ".", nil
	}
	if !fs.ValidPath(clean) {
		return "", fmt.Errorf("%w: name %q leads out of the directory", ErrUnsafe, name)
	}
	return clean, nil
}

// inside tells whether a symlink at name pointing to target stays in
// the tree: relative, and never climbing above the top.
func inside(name, target string) bool {
	if target == "" || path.IsAbs(target) {
		return false
	}
	p := path.Join(path.Dir(name), target)
	return p != ".." && !strings.HasPrefix(p, "../")
}

// removeLink removes a symlink at name, if there is one, so that a file
// written there replaces it instead of writing through it.
func removeLink(root *os.Root, name string) error {
	info, err := root.Lstat(name)
	if err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return root.Remove(name)
	}
	return nil
}

// checkParents refuses an entry below a symlink of the stream: its
// real place would not be the one its name says, and neither would the
// place a symlink there points to.
func checkParents(root *os.Root, name string) error {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		info, err := root.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%w: below the symlink %s", ErrUnsafe, dir)
		}
	}
	return nil
}
