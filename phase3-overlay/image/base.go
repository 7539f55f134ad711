package image

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase0-runc/rootfs"
	"shibafu.dev/phase3-overlay/layer"
)

// DefaultPath is the PATH that base images set when their config names
// none, the one Docker and runc use.
const DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// FromDir makes a one-layer image named ref from the tree at dir, with
// the settings cfg: the way to import a root filesystem built by other
// means (debootstrap, a copied tree, an unpacked image).
func (s *Store) FromDir(ctx context.Context, ref, dir string, cfg ocispec.ImageConfig) (
	*Image, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("image source %s: not a directory", dir)
	}
	desc, diffID, err := s.WriteLayer(ctx, func(w io.Writer) error {
		return layer.Pack(ctx, w, dir)
	})
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, ref, nil, withDefaults(cfg), Layer{
		Descriptor: desc, DiffID: diffID,
		History: history("import directory " + filepath.Base(dir)),
	})
}

// FromTar makes a one-layer image named ref from a root filesystem
// tarball (plain or gzip), such as `docker export` or a distribution's
// rootfs download writes. The archive is stored as it is, recompressed;
// reading it through once checks that it is a well-formed tar.
func (s *Store) FromTar(ctx context.Context, ref string, r io.Reader, cfg ocispec.ImageConfig) (
	*Image, error) {
	plain, err := layer.Decompress(r)
	if err != nil {
		return nil, err
	}
	desc, diffID, err := s.WriteLayer(ctx, func(w io.Writer) error {
		tr := tar.NewReader(io.TeeReader(plain, w))
		for {
			if _, err := tr.Next(); err == io.EOF {
				break
			} else if err != nil {
				return fmt.Errorf("read rootfs tarball: %w", err)
			}
		}
		_, err := io.Copy(w, plain) // the end-of-archive padding
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, ref, nil, withDefaults(cfg), Layer{
		Descriptor: desc, DiffID: diffID, History: history("import rootfs tarball"),
	})
}

// Busybox makes a one-layer busybox image named ref from the static
// busybox binary installed on this machine (rootfs.DefaultBusybox): the
// base image of the course, since there is no registry to pull from.
func (s *Store) Busybox(ctx context.Context, ref string) (*Image, error) {
	tmp, err := os.MkdirTemp(s.content.TempDir(), "busybox-")
	if err != nil {
		return nil, fmt.Errorf("build busybox: %w", err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "rootfs")
	if err := rootfs.Busybox("", dir); err != nil {
		return nil, fmt.Errorf("build busybox: %w", err)
	}
	return s.FromDir(ctx, ref, dir, ocispec.ImageConfig{Cmd: []string{"sh"}})
}

// withDefaults fills in the settings every image should have.
func withDefaults(cfg ocispec.ImageConfig) ocispec.ImageConfig {
	if len(cfg.Env) == 0 {
		cfg.Env = []string{DefaultPath}
	}
	return cfg
}

func history(createdBy string) ocispec.History {
	now := time.Now().UTC()
	return ocispec.History{Created: &now, CreatedBy: "shibafu-image: " + createdBy}
}
