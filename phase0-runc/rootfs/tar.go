package rootfs

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// FromTar unpacks the tar archive at path (plain or gzip-compressed) into
// dst, then adds the base directories a container needs where the archive
// lacks them.
//
// An archive is outside input, so every entry is checked before anything
// is written: an absolute name, a name with "..", a hard link to outside
// the tree, or a path that would be written through a symbolic link is
// refused, and unpacking stops there.
func FromTar(path, dst string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("rootfs tarball: %w", err)
	}
	defer f.Close()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	if err := Untar(f, dst); err != nil {
		return fmt.Errorf("unpack %s: %w", path, err)
	}
	return makeBase(dst)
}

// Untar unpacks a plain or gzip-compressed tar stream into the existing
// directory dst, with the checks described at FromTar.
func Untar(r io.Reader, dst string) error {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		defer gz.Close()
		r = gz
	} else {
		r = br
	}

	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read tar: %w", err)
		}
		if err := extractEntry(tr, hdr, dst); err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
	}
}

// safeJoin returns dst/name after checking that name stays inside dst and
// that no directory on the way is a symbolic link, which an archive could
// have planted earlier to redirect later entries outside the tree.
func safeJoin(dst, name string) (string, error) {
	if filepath.IsAbs(name) {
		return "", errors.New("absolute path in archive")
	}
	clean := filepath.Clean(name)
	for _, part := range strings.Split(clean, string(filepath.Separator)) {
		if part == ".." {
			return "", errors.New("path escapes the target directory")
		}
	}
	if clean == "." {
		return dst, nil
	}

	dir := dst
	parts := strings.Split(clean, string(filepath.Separator))
	for _, part := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, part)
		info, err := os.Lstat(dir)
		if errors.Is(err, os.ErrNotExist) {
			break
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&os.ModeSymlink != 0 {
			return "", fmt.Errorf("path goes through symbolic link %s", part)
		}
	}
	return filepath.Join(dst, clean), nil
}

// extractEntry writes one tar entry below dst.
func extractEntry(tr *tar.Reader, hdr *tar.Header, dst string) error {
	target, err := safeJoin(dst, hdr.Name)
	if err != nil {
		return err
	}
	if target == dst {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeDir {
		// A later entry replaces an earlier one of the same name.
		if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}

	mode := os.FileMode(hdr.Mode).Perm()
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := os.MkdirAll(target, mode); err != nil {
			return err
		}
	case tar.TypeReg:
		if err := writeFile(target, tr, mode); err != nil {
			return err
		}
	case tar.TypeSymlink:
		// A link may point anywhere: it is only followed inside the
		// container, whose root is dst. safeJoin stops later entries
		// from being written through it.
		return os.Symlink(hdr.Linkname, target)
	case tar.TypeLink:
		source, err := safeJoin(dst, hdr.Linkname)
		if err != nil {
			return fmt.Errorf("hard link: %w", err)
		}
		return os.Link(source, target)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		if err := makeNode(target, hdr); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unsupported tar entry type %q", hdr.Typeflag)
	}
	return setHeaderAttrs(target, hdr)
}

func writeFile(target string, r io.Reader, mode os.FileMode) error {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func makeNode(target string, hdr *tar.Header) error {
	mode := uint32(hdr.Mode & 0o7777)
	switch hdr.Typeflag {
	case tar.TypeChar:
		mode |= unix.S_IFCHR
	case tar.TypeBlock:
		mode |= unix.S_IFBLK
	default:
		mode |= unix.S_IFIFO
	}
	dev := unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))
	return unix.Mknod(target, mode, int(dev))
}

// setHeaderAttrs applies owner, mode bits and times from the header.
func setHeaderAttrs(target string, hdr *tar.Header) error {
	err := os.Lchown(target, hdr.Uid, hdr.Gid)
	if err != nil && !errors.Is(err, os.ErrPermission) {
		return err
	}
	if err := os.Chmod(target, tarMode(hdr.Mode)); err != nil {
		return err
	}
	_ = os.Chtimes(target, hdr.ModTime, hdr.ModTime)
	return nil
}

// tarMode turns the Unix mode bits of a tar header into an os.FileMode,
// keeping setuid, setgid and sticky.
func tarMode(m int64) os.FileMode {
	mode := os.FileMode(m).Perm()
	if m&unix.S_ISUID != 0 {
		mode |= os.ModeSetuid
	}
	if m&unix.S_ISGID != 0 {
		mode |= os.ModeSetgid
	}
	if m&unix.S_ISVTX != 0 {
		mode |= os.ModeSticky
	}
	return mode
}
