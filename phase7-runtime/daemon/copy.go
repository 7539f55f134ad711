package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	securejoin "github.com/cyphar/filepath-securejoin"

	"shibafu.dev/phase7-runtime/archive"
)

// CopyFrom writes a tar stream of the file or tree at p inside the
// container to w, like `docker cp CONTAINER:P -`. It reads the rootfs as
// the host sees it (the overlay of phase 3, running or not), so the
// container's tmpfs mounts and its /etc files bind-mounted by the daemon
// are not seen.
func (d *Daemon) CopyFrom(ctx context.Context, idOrName, p string, w io.Writer) error {
	root, rel, err := d.containerPath(idOrName, p)
	if err != nil {
		return err
	}
	defer root.Close()
	if _, err := root.Lstat(rel); errors.Is(err, fs.ErrNotExist) {
		return notFound(fmt.Errorf("cp: no such file in the container: %s", p))
	}
	return archive.Write(w, root, rel)
}

// CopyTo extracts the tar stream r at p inside the container, like
// `docker cp - CONTAINER:P`: into p if it is a directory, else as p
// itself (the stream's top entry renamed), in p's directory.
func (d *Daemon) CopyTo(ctx context.Context, idOrName, p string, r io.Reader) error {
	root, rel, err := d.containerPath(idOrName, p)
	if err != nil {
		return err
	}
	defer root.Close()
	info, err := root.Stat(rel)
	if err == nil && info.IsDir() {
		err = archive.Extract(r, root, rel, "")
	} else {
		err = archive.Extract(r, root, path.Dir(rel), path.Base(rel))
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, archive.ErrNotDir) {
		return notFound(fmt.Errorf("cp to %s: %w", p, err))
	}
	if errors.Is(err, archive.ErrUnsafeName) {
		return invalid(err)
	}
	return err
}

// containerPath opens the container's rootfs as an os.Root and finds p
// in it as the container would: symlinks, absolute ones too, resolve
// against the container's root, never the host's (securejoin, the
// library runc resolves mount targets with). It returns p relative to
// the root.
func (d *Daemon) containerPath(idOrName, p string) (*os.Root, string, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, "", err
	}
	if !path.IsAbs(p) || path.Clean(p) == "/" {
		return nil, "", invalid(fmt.Errorf("cp: path %q: want an absolute path below /", p))
	}
	sn, err := d.snapshots.Get(rec.ID)
	if err != nil {
		return nil, "", categorize(err)
	}
	rootfs := sn.Mountpoint()
	resolved, err := securejoin.SecureJoin(rootfs, p)
	if err != nil {
		return nil, "", fmt.Errorf("cp: resolve %s: %w", p, err)
	}
	rel, err := filepath.Rel(rootfs, resolved)
	if err != nil || rel == "." {
		return nil, "", invalid(fmt.Errorf("cp: path %q resolves to the root", p))
	}
	root, err := os.OpenRoot(rootfs)
	if err != nil {
		return nil, "", fmt.Errorf("cp: %w", err)
	}
	return root, filepath.ToSlash(rel), nil
}
