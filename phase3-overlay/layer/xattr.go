package layer

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// time0 is the zero time, which tar.Writer leaves out of a header.
var time0 time.Time

// isOverlayWhiteout reports whether a file of an upper directory is an
// overlayfs whiteout: a character device numbered 0/0.
func isOverlayWhiteout(info fs.FileInfo, st *syscall.Stat_t) bool {
	return info.Mode()&fs.ModeCharDevice != 0 && st.Rdev == 0
}

// isOpaque reports whether directory path carries overlayfs's opaque
// marker.
func isOpaque(path string) bool {
	buf := make([]byte, 1)
	n, err := unix.Lgetxattr(path, OverlayOpaqueXattr, buf)
	return err == nil && n == 1 && buf[0] == 'y'
}

// listXattrs returns the extended attributes of path (not following a
// symbolic link), except overlayfs's own. A file system without extended
// attributes gives none.
func listXattrs(path string) (map[string]string, error) {
	size, err := unix.Llistxattr(path, nil)
	if errors.Is(err, unix.ENOTSUP) || size == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	buf := make([]byte, size)
	if size, err = unix.Llistxattr(path, buf); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, name := range bytes.Split(buf[:size], []byte{0}) {
		n := string(name)
		if n == "" || strings.HasPrefix(n, overlayXattrPrefix) {
			continue
		}
		value, err := getXattr(path, n)
		if err != nil {
			return nil, err
		}
		out[n] = value
	}
	return out, nil
}

func getXattr(path, name string) (string, error) {
	size, err := unix.Lgetxattr(path, name, nil)
	if err != nil {
		return "", err
	}
	buf := make([]byte, size)
	size, err = unix.Lgetxattr(path, name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:size]), nil
}
