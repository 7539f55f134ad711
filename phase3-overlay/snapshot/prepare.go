package snapshot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"shibafu.dev/phase0-runc/bundle"
)

// Prepare makes and mounts the snapshot name of the image ref (a name
// or manifest digest), unpacking the layers it does not have yet. The
// snapshot's root filesystem is then at Mountpoint. On error nothing is
// left behind.
func (s *Store) Prepare(ctx context.Context, name, ref string) (_ *Snapshot, err error) {
	if err := bundle.ValidateID(name); err != nil {
		return nil, err
	}
	img, err := s.images.Get(ref)
	if err != nil {
		return nil, err
	}
	if _, err := s.Unpack(ctx, img); err != nil {
		return nil, err
	}

	dir := filepath.Join(s.mountsDir(), name)
	if err := os.Mkdir(dir, 0o711); errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: %s", ErrExists, name)
	} else if err != nil {
		return nil, fmt.Errorf("make snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	sn := &Snapshot{
		Name: name, Image: ref, Manifest: img.Descriptor.Digest,
		Layers: img.Config.RootFS.DiffIDs, Created: time.Now().UTC(), dir: dir,
	}
	for _, d := range []string{sn.Upper(), sn.Work(), sn.Mountpoint()} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, fmt.Errorf("make snapshot: %w", err)
		}
	}
	if err := sn.save(); err != nil {
		return nil, err
	}
	if err := s.mount(sn); err != nil {
		return nil, err
	}
	return sn, nil
}

// Mount mounts the snapshot name again, after Unmount or a reboot.
// Mounting a mounted snapshot does nothing.
func (s *Store) Mount(name string) (*Snapshot, error) {
	sn, err := s.Get(name)
	if err != nil {
		return nil, err
	}
	if sn.Mounted {
		return sn, nil
	}
	return sn, s.mount(sn)
}

func (s *Store) mount(sn *Snapshot) error {
	lowers := make([]string, 0, len(sn.Layers))
	for _, d := range sn.Layers {
		lowers = append(lowers, s.layerDir(d))
	}
	if len(lowers) == 0 {
		// overlayfs needs a lower directory; an image without layers
		// gets an empty one.
		empty := filepath.Join(sn.dir, "empty")
		if err := os.MkdirAll(empty, 0o755); err != nil {
			return err
		}
		lowers = append(lowers, empty)
	}
	data, err := overlayOptions(lowers, sn.Upper(), sn.Work())
	if err != nil {
		return err
	}
	if err := mountOverlay(sn.Mountpoint(), data); err != nil {
		return err
	}
	sn.Mounted = true
	return nil
}

// Unmount unmounts the snapshot name, keeping its changes.
func (s *Store) Unmount(name string) error {
	sn, err := s.Get(name)
	if err != nil {
		return err
	}
	return unmount(sn.Mountpoint())
}

// Remove unmounts the snapshot name and deletes it with its changes.
func (s *Store) Remove(name string) error {
	sn, err := s.Get(name)
	if err != nil {
		return err
	}
	if err := unmount(sn.Mountpoint()); err != nil {
		return err
	}
	if err := os.RemoveAll(sn.dir); err != nil {
		return fmt.Errorf("remove snapshot %s: %w", name, err)
	}
	return nil
}
