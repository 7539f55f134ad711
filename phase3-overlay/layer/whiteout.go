package layer

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// whiteout applies the whiteout file base found in directory dir.
func (x *extractor) whiteout(dir, base string) error {
	if base == WhiteoutOpaque {
		return x.opaque(dir)
	}
	if strings.HasPrefix(base, WhiteoutMeta) {
		return nil // other .wh..wh. names are AUFS bookkeeping
	}
	target := strings.TrimPrefix(base, WhiteoutPrefix)
	if target == "" || target == "." || target == ".." {
		return fmt.Errorf("%w: whiteout of %q", ErrUnsafePath, target)
	}
	name := path.Join(dir, target)

	if x.opts.Mode == Overlay {
		// An overlayfs whiteout is a character device with number 0/0:
		// the merged view shows no entry of that name.
		return x.at(dir, true, func(fd int) error {
			if err := x.clear(fd, name, target, false); err != nil {
				return err
			}
			return unix.Mknodat(fd, target, unix.S_IFCHR, 0)
		})
	}
	if x.written[name] {
		return nil // a whiteout hides lower layers, not its own
	}
	err := x.root.RemoveAll(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return safePath(err)
}

// opaque applies an opaque whiteout: entries of dir from lower layers
// disappear, entries from this layer stay.
func (x *extractor) opaque(dir string) error {
	if x.opts.Mode == Overlay {
		// Overlayfs hides the lower directories below one marked
		// trusted.overlay.opaque="y".
		return x.at(dir, true, func(fd int) error {
			err := unix.Lsetxattr(procPath(fd, "."), OverlayOpaqueXattr, []byte("y"), 0)
			if err != nil {
				return fmt.Errorf("mark opaque: %w", err)
			}
			return nil
		})
	}

	x.markWritten(dir)
	if err := x.root.MkdirAll(dir, 0o755); err != nil {
		return safePath(err)
	}
	f, err := x.root.Open(dir)
	if err != nil {
		return safePath(err)
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, n := range names {
		if child := path.Join(dir, n); !x.written[child] {
			if err := safePath(x.root.RemoveAll(child)); err != nil {
				return err
			}
		}
	}
	return nil
}
