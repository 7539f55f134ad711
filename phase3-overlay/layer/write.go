package layer

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Pack writes the tree at dir to w as an uncompressed tar layer: every
// directory, file, link and node below dir (dir itself excluded), in
// lexical order, with owners, modes, modification times, hard links and
// extended attributes. User and group names are left out and access
// times dropped, so the same tree always gives the same bytes, and so
// the same digest.
func Pack(ctx context.Context, w io.Writer, dir string) error {
	return pack(ctx, w, dir, false)
}

// Diff writes the upper directory of an overlay mount to w as a tar
// layer: the changes a container made. Overlayfs markers become OCI
// whiteouts: a 0/0 character device becomes an empty .wh.NAME file, and
// a directory marked trusted.overlay.opaque="y" is followed by a
// .wh..wh..opq entry. Overlayfs's own attributes are not copied.
func Diff(ctx context.Context, w io.Writer, upper string) error {
	return pack(ctx, w, upper, true)
}

// packer holds the state of one Pack or Diff.
type packer struct {
	tw      *tar.Writer
	dir     string
	overlay bool
	links   map[inode]string // first name seen of each multiply-linked file
}

type inode struct{ dev, ino uint64 }

func pack(ctx context.Context, w io.Writer, dir string, overlay bool) error {
	p := &packer{tw: tar.NewWriter(w), dir: dir, overlay: overlay, links: map[inode]string{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		if err := p.add(path, filepath.ToSlash(rel)); err != nil {
			return fmt.Errorf("pack %s: %w", rel, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return p.tw.Close()
}

// add writes the entry for the file at path, named rel in the layer.
func (p *packer) add(path, rel string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	st := info.Sys().(*syscall.Stat_t)
	if p.overlay && isOverlayWhiteout(info, st) {
		return p.whiteout(filepath.Dir(rel), WhiteoutPrefix+info.Name(), info)
	}
	if info.Mode()&fs.ModeSocket != 0 {
		return nil // a socket belongs to a running process, not to a layer
	}

	hdr, err := p.header(path, rel, info, st)
	if err != nil {
		return err
	}
	if err := p.tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeReg && hdr.Size > 0 {
		if err := copyFile(p.tw, path); err != nil {
			return err
		}
	}
	if p.overlay && info.IsDir() && isOpaque(path) {
		return p.whiteout(rel, WhiteoutOpaque, info)
	}
	return nil
}

// header describes the file at path as a reproducible PAX tar header.
func (p *packer) header(path, rel string, info fs.FileInfo, st *syscall.Stat_t) (
	*tar.Header, error) {
	var target string
	if info.Mode()&fs.ModeSymlink != 0 {
		var err error
		if target, err = os.Readlink(path); err != nil {
			return nil, err
		}
	}
	hdr, err := tar.FileInfoHeader(info, target)
	if err != nil {
		return nil, err
	}
	hdr.Name = rel
	if info.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uid, hdr.Gid = int(st.Uid), int(st.Gid)
	hdr.Uname, hdr.Gname = "", ""
	hdr.AccessTime, hdr.ChangeTime = time0, time0
	hdr.Format = tar.FormatPAX

	if info.Mode().IsRegular() && st.Nlink > 1 {
		key := inode{uint64(st.Dev), st.Ino}
		if first, ok := p.links[key]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
		} else {
			p.links[key] = rel
		}
	}

	xattrs, err := listXattrs(path)
	if err != nil {
		return nil, err
	}
	for name, value := range xattrs {
		if hdr.PAXRecords == nil {
			hdr.PAXRecords = map[string]string{}
		}
		hdr.PAXRecords[xattrPrefix+name] = value
	}
	return hdr, nil
}

// whiteout writes an empty whiteout file named base in directory dir.
func (p *packer) whiteout(dir, base string, info fs.FileInfo) error {
	return p.tw.WriteHeader(&tar.Header{
		Typeflag: tar.TypeReg,
		Name:     filepath.ToSlash(filepath.Join(dir, base)),
		Mode:     0o644,
		ModTime:  info.ModTime(),
		Format:   tar.FormatPAX,
	})
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
