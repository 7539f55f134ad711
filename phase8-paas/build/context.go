package build

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// buildContext is the source tree a build reads files from: opened as
// an os.Root, so that no name and no symlink in it can lead out of it,
// with the patterns of its .dockerignore.
type buildContext struct {
	root   *os.Root
	ignore *patternmatcher.PatternMatcher
}

// openContext opens the source directory dir and reads its
// .dockerignore, if any.
func openContext(dir string) (*buildContext, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("build: source: %w", err)
	}
	c := &buildContext{root: root}
	f, err := root.Open(".dockerignore")
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("build: .dockerignore: %w", err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err == nil {
		c.ignore, err = patternmatcher.New(patterns)
	}
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("build: .dockerignore: %w", err)
	}
	return c, nil
}

// Close releases the source directory.
func (c *buildContext) Close() error { return c.root.Close() }

// ignored tells whether .dockerignore leaves out the file at rel, a
// slash-separated path relative to the top of the source.
func (c *buildContext) ignored(rel string) (bool, error) {
	if c.ignore == nil || rel == "." {
		return false, nil
	}
	return c.ignore.MatchesOrParentMatches(rel)
}

// readFile reads a file of the source, as rel names it.
func (c *buildContext) readFile(rel string) ([]byte, error) {
	return c.root.ReadFile(rel)
}

// sourcePath checks a COPY source against leaving the context and
// returns it relative to the top: "/a/b" and "a/b" are the same file, as
// in docker, but "../a" is refused.
func sourcePath(src string) (string, error) {
	p := path.Clean(strings.TrimPrefix(src, "/"))
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("%s: outside the build context", src)
	}
	return p, nil
}

// layerFile is a tar stream made from files of the source (or of an
// image, for COPY --from), kept in a temporary file until it is sent,
// with the hash of its bytes.
type layerFile struct {
	f    *os.File
	hash string
	tw   *tar.Writer
	h    hash.Hash
}

func newLayerFile() (*layerFile, error) {
	f, err := os.CreateTemp("", "shibafu-build-*.tar")
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	os.Remove(f.Name()) // unnamed: gone once closed, whatever happens
	sum := sha256.New()
	return &layerFile{f: f, tw: tar.NewWriter(io.MultiWriter(f, sum)), h: sum}, nil
}

// finish ends the stream, records its hash and rewinds it for reading.
func (l *layerFile) finish() error {
	if err := l.tw.Close(); err != nil {
		return err
	}
	l.hash = hex.EncodeToString(l.h.Sum(nil))
	_, err := l.f.Seek(0, io.SeekStart)
	return err
}

// Read reads the finished stream.
func (l *layerFile) Read(p []byte) (int, error) { return l.f.Read(p) }

// Close deletes the stream.
func (l *layerFile) Close() error { return l.f.Close() }

// add writes the file, symlink or directory tree rel of the source as
// the entry name (and below it for a directory; name "" puts a
// directory's content at the top), leaving out what .dockerignore
// ignores. Headers carry only what a layer keeps (name, type, mode, size,
// link target), with no times or owners, so that the same files always
// make the same bytes and hash: what the layer cache relies on.
func (c *buildContext) add(l *layerFile, rel, name string) error {
	return fs.WalkDir(c.root.FS(), rel, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		skip, err := c.ignored(p)
		if err != nil {
			return err
		}
		if skip {
			if d.IsDir() && !c.ignore.Exclusions() {
				return fs.SkipDir
			}
			return nil
		}
		entry := path.Join(name, below(rel, p))
		if entry == "" {
			return nil // the top directory itself: its content goes at the top
		}
		return c.writeEntry(l, p, entry)
	})
}

// below returns the path p of the walk of top relative to top: "" for
// top itself.
func below(top, p string) string {
	switch {
	case p == top:
		return ""
	case top == ".":
		return p
	}
	return strings.TrimPrefix(p, top+"/")
}

// epoch is the time every entry of a layerFile carries.
var epoch = time.Unix(0, 0).UTC()

func (c *buildContext) writeEntry(l *layerFile, p, entry string) error {
	info, err := c.root.Lstat(p)
	if err != nil {
		return err
	}
	src := &tar.Header{Mode: int64(info.Mode().Perm())}
	var content io.Reader
	switch {
	case info.Mode().IsRegular():
		f, err := c.root.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		src.Typeflag, src.Size, content = tar.TypeReg, info.Size(), f
	case info.IsDir():
		src.Typeflag = tar.TypeDir
	case info.Mode()&fs.ModeSymlink != 0:
		src.Typeflag = tar.TypeSymlink
		if src.Linkname, err = c.root.Readlink(p); err != nil {
			return err
		}
	default:
		return nil // devices, sockets and fifos are not copied
	}
	return l.addEntry(src, entry, content)
}

// addEntry writes the file src describes to l as entry, with only what a
// layer keeps (name, type, mode, size, link target; no times or owners);
// the content of a regular file comes from r. Other types are skipped.
func (l *layerFile) addEntry(src *tar.Header, entry string, r io.Reader) error {
	hdr := &tar.Header{Name: entry, Mode: src.Mode & 0o7777, ModTime: epoch,
		Format: tar.FormatPAX}
	switch src.Typeflag {
	case tar.TypeReg:
		hdr.Typeflag, hdr.Size = tar.TypeReg, src.Size
	case tar.TypeDir:
		hdr.Typeflag, hdr.Name = tar.TypeDir, entry+"/"
	case tar.TypeSymlink:
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, src.Linkname
	default:
		return nil
	}
	if err := l.tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	if n, err := io.Copy(l.tw, r); err != nil {
		return err
	} else if n != hdr.Size {
		return fmt.Errorf("%s changed while being read", entry)
	}
	return nil
}
