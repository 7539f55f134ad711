package layer

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// extractor writes the entries of one layer below root.
type extractor struct {
	root    *os.Root
	opts    Options
	chown   bool            // running as root, so ownership can be kept
	written map[string]bool // paths this layer created, and their parents
	dirs    []*tar.Header   // directories, whose times are set last
	entries int
}

func newExtractor(root *os.Root, opts Options) *extractor {
	return &extractor{
		root:    root,
		opts:    opts,
		chown:   os.Geteuid() == 0,
		written: map[string]bool{},
	}
}

// entry applies one tar entry.
func (x *extractor) entry(hdr *tar.Header, r io.Reader) error {
	x.entries++
	name, err := cleanName(hdr.Name)
	if err != nil {
		return err
	}
	dir, base := split(name)
	if strings.HasPrefix(base, WhiteoutPrefix) {
		return x.whiteout(dir, base)
	}
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil // PAX defaults for later entries; the reader applies them
	}
	if name == "." && hdr.Typeflag != tar.TypeDir {
		return fmt.Errorf("%w: the layer's root is not a directory", ErrUnsafePath)
	}
	x.markWritten(name)

	return x.at(dir, true, func(fd int) error {
		if err := x.clear(fd, name, base, hdr.Typeflag == tar.TypeDir); err != nil {
			return err
		}
		if err := x.create(fd, name, base, hdr, r); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeLink {
			return nil // a hard link shares the metadata of its target
		}
		return x.setMeta(fd, base, hdr)
	})
}

// create makes the file system object that hdr describes as base in the
// directory fd.
func (x *extractor) create(fd int, name, base string, hdr *tar.Header, r io.Reader) error {
	mode := uint32(hdr.Mode & 0o7777)
	switch hdr.Typeflag {
	case tar.TypeReg:
		if isSparse(hdr) {
			return fmt.Errorf("%w: sparse file", ErrUnsupported)
		}
		return writeFile(fd, base, r)
	case tar.TypeDir:
		err := unix.Mkdirat(fd, base, 0o700)
		if errors.Is(err, unix.EEXIST) {
			return nil // merging into a directory that is already there
		}
		return err
	case tar.TypeSymlink:
		// The link's target is data, never followed here: os.Root
		// refuses to follow it out of the tree for later entries.
		return unix.Symlinkat(hdr.Linkname, fd, base)
	case tar.TypeLink:
		target, err := cleanName(hdr.Linkname)
		if err != nil {
			return fmt.Errorf("hard link: %w", err)
		}
		return safePath(x.root.Link(target, name))
	case tar.TypeChar, tar.TypeBlock:
		if !x.opts.Devices {
			return fmt.Errorf("%w: %d:%d (not allowed)", ErrDevice, hdr.Devmajor, hdr.Devminor)
		}
		kind := uint32(unix.S_IFCHR)
		if hdr.Typeflag == tar.TypeBlock {
			kind = unix.S_IFBLK
		}
		dev := unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))
		return unix.Mknodat(fd, base, kind|mode, int(dev))
	case tar.TypeFifo:
		return unix.Mknodat(fd, base, unix.S_IFIFO|mode, 0)
	}
	return fmt.Errorf("%w: tar entry type %q", ErrUnsupported, hdr.Typeflag)
}

// writeFile creates base in directory fd, refusing to follow a symbolic
// link or reuse an existing file, and copies the entry's bytes into it.
func writeFile(fd int, base string, r io.Reader) error {
	flags := unix.O_WRONLY | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC
	nfd, err := unix.Openat(fd, base, flags, 0o600)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(nfd), base)
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// clear removes whatever is at base in directory fd, so that the entry
// replaces it, except that a directory stays when a directory arrives:
// the new layer's entries merge into it.
func (x *extractor) clear(fd int, name, base string, isDir bool) error {
	var st unix.Stat_t
	err := unix.Fstatat(fd, base, &st, unix.AT_SYMLINK_NOFOLLOW)
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		if isDir {
			return nil
		}
		return safePath(x.root.RemoveAll(name))
	}
	return unix.Unlinkat(fd, base, 0)
}

// at runs fn with a descriptor of directory dir inside the root, made
// first if create is set. os.Root resolves dir one component at a time
// and refuses any step, symbolic links included, that leaves the root.
func (x *extractor) at(dir string, create bool, fn func(fd int) error) error {
	if create && dir != "." {
		if err := x.root.MkdirAll(dir, 0o755); err != nil {
			return safePath(err)
		}
	}
	f, err := x.root.Open(dir)
	if err != nil {
		return safePath(err)
	}
	defer f.Close()
	return fn(int(f.Fd()))
}

// safePath classifies an error of os.Root. A path that escapes the root
// is refused with an error that carries no errno; every other failure is
// an ordinary system call error.
func safePath(err error) error {
	var errno syscall.Errno
	if err == nil || errors.As(err, &errno) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnsafePath, err)
}

// markWritten records that this layer wrote name, and so its parents.
func (x *extractor) markWritten(name string) {
	for name != "." && !x.written[name] {
		x.written[name] = true
		name = path.Dir(name)
	}
}

// isSparse reports whether a regular file entry is a GNU sparse file,
// whose holes archive/tar would expand into zeros: a few bytes of layer
// could then fill the disk. Image builders do not write sparse entries.
func isSparse(hdr *tar.Header) bool {
	for key := range hdr.PAXRecords {
		if strings.HasPrefix(key, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// split returns the parent directory and last element of a clean path;
// the parent of a top-level name is ".".
func split(name string) (dir, base string) {
	return path.Dir(name), path.Base(name)
}
