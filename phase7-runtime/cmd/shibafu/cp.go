package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/archive"
	"shibafu.dev/phase7-runtime/client"
)

func newCpCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "cp CONTAINER:SRC DEST|-  or  cp SRC|- CONTAINER:DEST",
		Short: "Copy files or trees between a container and the host",
		Long: `cp copies a file or a directory tree out of a container or into it, as
a tar stream through the daemon. A DEST that is an existing directory gets
the copy inside it; any other DEST becomes the copy. "-" is a tar stream
on standard output or input. A local path with a ":" is written ./PATH.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := g.client()
			if id, src, ok := containerPath(args[0]); ok {
				return copyOut(cmd, c, id, src, args[1])
			}
			if id, dst, ok := containerPath(args[1]); ok {
				return copyIn(cmd, c, args[0], id, dst)
			}
			return errors.New("cp: name a container on one side, as CONTAINER:PATH")
		},
	}
}

// containerPath splits CONTAINER:PATH; a local path has no ":" before
// its first "/".
func containerPath(arg string) (id, path string, ok bool) {
	id, path, ok = strings.Cut(arg, ":")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", "", false
	}
	return id, path, true
}

// copyOut extracts the container's tar stream of src at dest.
func copyOut(cmd *cobra.Command, c *client.Client, id, src, dest string) error {
	tarball, err := c.CopyFrom(cmd.Context(), id, src)
	if err != nil {
		return err
	}
	defer tarball.Close()
	if dest == "-" {
		_, err := io.Copy(os.Stdout, tarball)
		return err
	}
	dir, rename := dest, ""
	if info, err := os.Stat(dest); err != nil || !info.IsDir() {
		dir, rename = filepath.Dir(dest), filepath.Base(dest)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	defer root.Close()
	return archive.Extract(tarball, root, ".", rename)
}

// copyIn sends a tar stream of src, made as it is read, to dest in the
// container.
func copyIn(cmd *cobra.Command, c *client.Client, src, id, dest string) error {
	if src == "-" {
		return c.CopyTo(cmd.Context(), id, dest, os.Stdin)
	}
	if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cp: no such file: %s", src)
	}
	root, err := os.OpenRoot(filepath.Dir(src))
	if err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	defer root.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(archive.Write(pw, root, filepath.Base(src))) }()
	err = c.CopyTo(cmd.Context(), id, dest, pr)
	pr.Close() // stops the writer if the daemon gave up early
	return err
}
