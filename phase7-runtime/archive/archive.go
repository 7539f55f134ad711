package archive

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Write writes the file or directory tree name of root to w as a tar
// stream. The entries are named after name's last element and below it
// (name "etc/apk" gives "apk", "apk/arch", ...), as `tar -C etc -c apk`
// would. Regular files, directories and symlinks are written; other
// files (devices, sockets, fifos) are skipped.
func Write(w io.Writer, root *os.Root, name string) error {
	tw := tar.NewWriter(w)
	base := path.Base(name)
	err := fs.WalkDir(root.FS(), name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		entry := base
		if rel := strings.TrimPrefix(p, name); rel != "" {
			entry = path.Join(base, rel)
		}
		return writeEntry(tw, root, p, entry)
	})
	if err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	return tw.Close()
}

// writeEntry writes the header of file p, named entry, and its content.
func writeEntry(tw *tar.Writer, root *os.Root, p, entry string) error {
	info, err := root.Lstat(p)
	if err != nil {
		return err
	}
	var link string
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		if link, err = root.Readlink(p); err != nil {
			return err
		}
	case !info.Mode().IsRegular() && !info.IsDir():
		return nil // a device, socket or fifo: nothing to copy
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return err
	}
	hdr.Name = entry
	if info.IsDir() {
		hdr.Name += "/"
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	f, err := root.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

// Extract creates the entries of the tar stream r under directory dir
// of root, which must exist. If rename is not empty, it replaces the
// first element of every entry's name, so that "apk/arch" extracted
// with rename "copy" becomes dir/copy/arch: that is how `cp SRC DEST`
// names the copy DEST when DEST does not exist. Entries whose names
// leave the tree ("../x", "/x") are refused. Files are owned by the
// extracting process's user, with the modes of the stream.
func Extract(r io.Reader, root *os.Root, dir, rename string) error {
	info, err := root.Stat(dir)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("extract: %s: %w", dir, ErrNotDir)
	}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		name, err := entryName(hdr.Name, rename)
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		if err := extractEntry(tr, root, path.Join(dir, name), hdr); err != nil {
			return fmt.Errorf("extract %s: %w", hdr.Name, err)
		}
	}
}

// ErrNotDir means a copy's destination is not a directory.
var ErrNotDir = errors.New("not a directory")

// ErrUnsafeName means a tar entry's name leads out of the tree.
var ErrUnsafeName = errors.New("entry name leaves the destination")

// entryName checks a tar entry's name and applies rename to it.
func entryName(name, rename string) (string, error) {
	name = strings.TrimSuffix(name, "/")
	if !fs.ValidPath(name) || name == "." {
		return "", fmt.Errorf("%q: %w", name, ErrUnsafeName)
	}
	if rename != "" {
		_, rest, _ := strings.Cut(name, "/")
		name = path.Join(rename, rest)
	}
	return name, nil
}

// extractEntry creates one entry at p of root.
func extractEntry(tr *tar.Reader, root *os.Root, p string, hdr *tar.Header) error {
	mode := fs.FileMode(hdr.Mode).Perm()
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := root.MkdirAll(p, mode); err != nil {
			return err
		}
		return root.Chmod(p, mode)
	case tar.TypeReg:
		f, err := root.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, tr); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case tar.TypeSymlink:
		// The target is not checked: it is read inside the container,
		// and any later copy through it goes through os.Root again.
		if err := root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return root.Symlink(hdr.Linkname, p)
	}
	return nil // other types are not copied
}
