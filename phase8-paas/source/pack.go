package source

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// Pack writes the working directory dir to w as a gzip-compressed tar
// stream of its regular files, directories and symlinks, with paths
// relative to dir. It leaves out .git and what the top-level
// .dockerignore and .gitignore name (the files themselves are kept, so
// that a build still honours .dockerignore).
func Pack(dir string, w io.Writer) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	defer root.Close()
	ignore, err := ignorePatterns(root)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}

	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if p == ".git" {
			return fs.SkipDir
		}
		if skip, err := ignore.MatchesOrParentMatches(p); err != nil {
			return err
		} else if skip {
			if d.IsDir() && !ignore.Exclusions() {
				return fs.SkipDir
			}
			return nil
		}
		return writeEntry(tw, root, p)
	})
	if err != nil {
		return fmt.Errorf("pack %s: %w", dir, err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	return zw.Close()
}

// writeEntry writes the file p of root to tw, if it is of a kind a
// source tree holds.
func writeEntry(tw *tar.Writer, root *os.Root, p string) error {
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
		return nil // sockets, fifos and devices are no source
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return err
	}
	hdr.Name = p
	if info.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
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
	_, err = io.CopyN(tw, f, hdr.Size)
	return err
}

// ignorePatterns reads the patterns of .dockerignore and .gitignore.
// The .gitignore ones are turned into the .dockerignore syntax first
// (see gitPattern); nested .gitignore files are not read.
func ignorePatterns(root *os.Root) (*patternmatcher.PatternMatcher, error) {
	var patterns []string
	if f, err := root.Open(".dockerignore"); err == nil {
		ps, err := ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf(".dockerignore: %w", err)
		}
		patterns = append(patterns, ps...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if f, err := root.Open(".gitignore"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if p, ok := gitPattern(sc.Text()); ok {
				patterns = append(patterns, p)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf(".gitignore: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return patternmatcher.New(patterns)
}

// gitPattern turns a .gitignore line into a pattern of patternmatcher
// (the .dockerignore syntax). A pattern with no slash but a trailing
// one matches at any depth in git, so it gets a "**/" in front; a
// leading slash anchors it at the top, which is what the other syntax
// does anyway. Comments and blank lines give nothing.
func gitPattern(line string) (string, bool) {
	line = strings.TrimRight(line, " \t\r")
	if line == "" || strings.HasPrefix(line, "#") {
		return "", false
	}
	neg := ""
	if strings.HasPrefix(line, "!") {
		neg, line = "!", line[1:]
	}
	line = strings.TrimSuffix(line, "/")
	switch {
	case line == "":
		return "", false
	case strings.HasPrefix(line, "/"):
		line = line[1:]
	case !strings.Contains(line, "/") && !strings.HasPrefix(line, "**"):
		line = "**/" + line
	}
	return neg + line, true
}
