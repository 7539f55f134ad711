package rootfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// FromDir copies the tree at src into dst, keeping file modes, ownership,
// symbolic links, device nodes and modification times, then adds the
// base directories a container needs (proc, sys, dev, tmp, ...) where the
// tree lacks them. src is usually a debootstrap or unpacked image tree.
func FromDir(src, dst string) error {
	info, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("rootfs source: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("rootfs source %s is not a directory", src)
	}
	if err := copyTree(src, dst); err != nil {
		return err
	}
	return makeBase(dst)
}

// copyTree copies every entry below src to the same relative path below
// dst. Directory times are set last, since creating their entries changes
// them.
func copyTree(src, dst string) error {
	type dirTime struct {
		path string
		info fs.FileInfo
	}
	var dirs []dirTime
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := copyEntry(path, target, info); err != nil {
			return fmt.Errorf("copy %s: %w", rel, err)
		}
		if info.IsDir() {
			dirs = append(dirs, dirTime{target, info})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		setTimes(dirs[i].path, dirs[i].info)
	}
	return nil
}

// copyEntry creates one file, directory, link or node at target like the
// one at path.
func copyEntry(path, target string, info fs.FileInfo) error {
	mode := info.Mode()
	switch {
	case mode.IsDir():
		if err := os.MkdirAll(target, 0o755); err != nil {
			return err
		}
	case mode.IsRegular():
		if err := copyFile(path, target, mode.Perm()); err != nil {
			return err
		}
	case mode&fs.ModeSymlink != 0:
		link, err := os.Readlink(path)
		if err != nil {
			return err
		}
		if err := os.Symlink(link, target); err != nil {
			return err
		}
	case mode&(fs.ModeDevice|fs.ModeNamedPipe) != 0:
		st := info.Sys().(*syscall.Stat_t)
		if err := unix.Mknod(target, st.Mode, int(st.Rdev)); err != nil {
			return err
		}
	case mode&fs.ModeSocket != 0:
		return nil // sockets belong to a running process; there is nothing to copy
	default:
		return fmt.Errorf("unsupported file type %s", mode.Type())
	}
	return copyOwnership(target, info)
}

// copyOwnership gives target the owner, group and permission bits
// (setuid, setgid and sticky included) of info. Changing the owner of a
// file needs root; a plain user gets their own files.
func copyOwnership(target string, info fs.FileInfo) error {
	st := info.Sys().(*syscall.Stat_t)
	err := os.Lchown(target, int(st.Uid), int(st.Gid))
	if err != nil && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	if info.Mode()&fs.ModeSymlink == 0 {
		if err := os.Chmod(target, info.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
			return err
		}
		setTimes(target, info)
	}
	return nil
}

func setTimes(path string, info fs.FileInfo) {
	// Times are a courtesy to tools such as make; a failure is not worth
	// abandoning the copy for.
	_ = os.Chtimes(path, info.ModTime(), info.ModTime())
}

// copyFile copies the regular file src to dst with the given mode.
func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
