package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"shibafu.dev/phase7-runtime/archive"
)

// CopyToDir extracts the tar stream r into the directory dir inside the
// container, making dir and its missing parents first (mode 0755), as a
// Dockerfile's COPY does. Unlike CopyTo, where the entries land does not
// depend on whether dir exists.
// The container's root itself, "/", is a directory one may copy into.
func (d *Daemon) CopyToDir(ctx context.Context, idOrName, dir string, r io.Reader) error {
	var root *os.Root
	var rel string
	var err error
	if path.Clean(dir) == "/" {
		root, err = d.containerRoot(idOrName)
		rel = "."
	} else {
		root, rel, err = d.containerPath(idOrName, dir)
	}
	if err != nil {
		return err
	}
	defer root.Close()
	if err := root.MkdirAll(rel, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) || errors.Is(err, archive.ErrNotDir) {
			return invalid(fmt.Errorf("cp to %s: not a directory", dir))
		}
		return fmt.Errorf("cp to %s: %w", dir, err)
	}
	err = archive.Extract(r, root, rel, "")
	if errors.Is(err, archive.ErrUnsafeName) || errors.Is(err, archive.ErrNotDir) {
		return invalid(fmt.Errorf("cp to %s: %w", dir, err))
	}
	return err
}

// containerRoot opens the root of a container's rootfs.
func (d *Daemon) containerRoot(idOrName string) (*os.Root, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, err
	}
	sn, err := d.snapshots.Get(rec.ID)
	if err != nil {
		return nil, categorize(err)
	}
	root, err := os.OpenRoot(sn.Mountpoint())
	if err != nil {
		return nil, fmt.Errorf("cp: %w", err)
	}
	return root, nil
}
