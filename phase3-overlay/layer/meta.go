package layer

import (
	"archive/tar"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// xattrPrefix marks an extended attribute among a PAX header's records,
// the convention of GNU tar and libarchive.
const xattrPrefix = "SCHILY.xattr."

// setMeta gives base in directory fd the owner, mode, extended
// attributes and times of hdr. Every call names the entry relative to a
// directory descriptor and does not follow a final symbolic link, so it
// changes the entry itself and nothing it points to.
func (x *extractor) setMeta(fd int, base string, hdr *tar.Header) error {
	if x.chown {
		err := unix.Fchownat(fd, base, hdr.Uid, hdr.Gid, unix.AT_SYMLINK_NOFOLLOW)
		if err != nil {
			return fmt.Errorf("chown: %w", err)
		}
	}
	// chown(2) clears setuid and setgid bits, so the mode comes after.
	if hdr.Typeflag != tar.TypeSymlink {
		if err := unix.Fchmodat(fd, base, uint32(hdr.Mode&0o7777), 0); err != nil {
			return fmt.Errorf("chmod: %w", err)
		}
	}
	if err := setXattrs(fd, base, hdr); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeDir {
		// Creating the directory's entries would change its times.
		x.dirs = append(x.dirs, hdr)
		return nil
	}
	return setTimes(fd, base, hdr)
}

// setXattrs sets the extended attributes a PAX header carries. A file
// system without them, or a name the kernel refuses to an unprivileged
// user, is skipped: attributes are kept "where the file system allows".
// The trusted.overlay.* names are refused, since they would let a layer
// forge overlayfs whiteouts.
func setXattrs(fd int, base string, hdr *tar.Header) error {
	for key, value := range hdr.PAXRecords {
		name, ok := strings.CutPrefix(key, xattrPrefix)
		if !ok {
			continue
		}
		if strings.HasPrefix(name, overlayXattrPrefix) {
			return fmt.Errorf("%w: extended attribute %s is reserved for overlayfs",
				ErrUnsafePath, name)
		}
		err := unix.Lsetxattr(procPath(fd, base), name, []byte(value), 0)
		if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EPERM) {
			continue
		}
		if err != nil {
			return fmt.Errorf("set xattr %s: %w", name, err)
		}
	}
	return nil
}

// procPath names base in directory fd through /proc/self/fd, for the
// few system calls (lsetxattr, lgetxattr) that have no *at form: the
// kernel resolves the descriptor, so only base is looked up by name.
func procPath(fd int, base string) string {
	return fmt.Sprintf("/proc/self/fd/%d/%s", fd, base)
}

// setTimes sets the access and modification times of base, not
// following a symbolic link (utimensat(2) with AT_SYMLINK_NOFOLLOW).
func setTimes(fd int, base string, hdr *tar.Header) error {
	atime := hdr.AccessTime
	if atime.IsZero() {
		atime = hdr.ModTime
	}
	ts := []unix.Timespec{timespec(atime), timespec(hdr.ModTime)}
	if err := unix.UtimesNanoAt(fd, base, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("set times: %w", err)
	}
	return nil
}

func timespec(t time.Time) unix.Timespec {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return unix.NsecToTimespec(t.UnixNano())
}

// finish sets the times of the layer's directories, deepest first, now
// that nothing more will be created in them.
func (x *extractor) finish() error {
	for i := len(x.dirs) - 1; i >= 0; i-- {
		hdr := x.dirs[i]
		name, _ := cleanName(hdr.Name) // checked when the entry was applied
		dir, base := split(name)
		err := x.at(dir, false, func(fd int) error { return setTimes(fd, base, hdr) })
		if err != nil {
			return fmt.Errorf("apply %q: %w", hdr.Name, err)
		}
	}
	return nil
}
