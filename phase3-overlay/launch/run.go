package launch

import (
	"context"
	"errors"
	"fmt"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/snapshot"
)

// Launcher joins the three stores a container needs.
type Launcher struct {
	Images     *image.Store
	Snapshots  *snapshot.Store
	Containers *container.Manager
}

// Options describe a container to run.
type Options struct {
	// ID names both the container and its snapshot.
	ID string
	// Image is the image's name or manifest digest.
	Image string
	// Args replace the image's Cmd; Env is applied over its Env.
	Args, Env []string
	// Keep keeps the snapshot, unmounted, after the container exits, so
	// that its changes can be listed, committed or run again (a second
	// Run with the same ID mounts it again). Without Keep the snapshot
	// is removed with the container.
	Keep bool
	// Stdio are the container's standard streams.
	Stdio container.Stdio
}

// Run runs a container of opts.Image in the foreground on an overlay
// snapshot and returns how it exited. The container itself is always
// deleted when it ends; its snapshot only without opts.Keep.
func (l *Launcher) Run(ctx context.Context, opts Options) (_ container.Exit, err error) {
	img, err := l.Images.Get(opts.Image)
	if err != nil {
		return container.Exit{}, err
	}
	spec, err := Spec(img, opts.Args, opts.Env)
	if err != nil {
		return container.Exit{}, err
	}
	sn, err := l.snapshot(ctx, opts)
	if err != nil {
		return container.Exit{}, err
	}
	defer func() {
		err = errors.Join(err, l.release(sn.Name, opts.Keep))
	}()

	exit, err := l.Containers.Run(ctx, container.Config{
		ID: opts.ID, Spec: spec, Rootfs: sn.Mountpoint(), AutoRemove: true,
	}, opts.Stdio)
	if err != nil {
		return exit, fmt.Errorf("run %s: %w", opts.ID, err)
	}
	return exit, nil
}

// snapshot prepares the container's snapshot, or mounts the kept one of
// an earlier run.
func (l *Launcher) snapshot(ctx context.Context, opts Options) (*snapshot.Snapshot, error) {
	sn, err := l.Snapshots.Prepare(ctx, opts.ID, opts.Image)
	if errors.Is(err, snapshot.ErrExists) && opts.Keep {
		return l.Snapshots.Mount(opts.ID)
	}
	return sn, err
}

// release unmounts a kept snapshot, or removes it.
func (l *Launcher) release(name string, keep bool) error {
	if keep {
		return l.Snapshots.Unmount(name)
	}
	return l.Snapshots.Remove(name)
}
