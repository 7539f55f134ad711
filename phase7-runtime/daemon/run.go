package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase4-ports/portmap"

	"shibafu.dev/phase7-runtime/api"
)

// Run creates a container as req asks and starts it in the background,
// like `docker run -d`. It takes every phase in turn; if any step fails,
// the steps before it are undone, so that a failed run leaves no
// snapshot, namespace, veth, rule, name or record behind.
func (d *Daemon) Run(ctx context.Context, req api.RunRequest) (_ *api.Container, err error) {
	p, err := d.newPlan(ctx, req)
	if err != nil {
		return nil, err
	}
	rec := &record{ID: p.id, Name: p.name, Image: req.Image,
		Created: time.Now().UTC(), Config: req}
	if err := d.db.create(rec); err != nil {
		return nil, err
	}
	unlock := d.lock(rec.ID)
	defer unlock()

	var u undo
	u.push(func() error { return d.db.delete(rec) })
	defer func() {
		if err != nil {
			err = categorize(err)
			if uerr := u.run(); uerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back run: %w", uerr))
			}
		}
	}()
	if err := d.setUp(context.WithoutCancel(ctx), p, rec, &u); err != nil {
		return nil, err
	}

	// The record now names everything set up: if the daemon dies from
	// here on, a new one knows what to give back.
	if err := d.db.put(rec); err != nil {
		return nil, err
	}
	cc := container.Config{ID: rec.ID, Spec: p.spec, Rootfs: p.rootfs}
	if err := d.containers.RunDetached(ctx, cc); err != nil {
		return nil, fmt.Errorf("start container: %w", err)
	}
	rec.Started = time.Now().UTC()
	if err := d.db.put(rec); err != nil {
		return nil, errors.Join(err, d.containers.Delete(ctx, rec.ID, true))
	}
	d.log.Info("container started", "id", rec.ID, "name", rec.Name, "image", rec.Image)
	d.emit("create", rec)
	d.emit("start", rec)
	d.watch(ctx, rec.ID)
	return d.view(ctx, rec), nil
}

// setUp prepares everything the container needs before it starts, each
// step pushing its reversal on u: the rootfs, the network namespace and
// attachments, /etc/resolv.conf and /etc/hosts, the published ports and
// the DNS names. It fills in rec and p.spec as it goes.
func (d *Daemon) setUp(ctx context.Context, p *plan, rec *record, u *undo) error {
	id := rec.ID
	sn, err := d.snapshots.Prepare(ctx, id, rec.Image)
	if err != nil {
		return fmt.Errorf("prepare rootfs: %w", err)
	}
	p.rootfs = sn.Mountpoint()
	u.push(func() error { return d.snapshots.Remove(id) })

	if err := os.MkdirAll(d.runtimeDir(id), 0o711); err != nil {
		return fmt.Errorf("make runtime dir: %w", err)
	}
	u.push(func() error { return os.RemoveAll(d.runtimeDir(id)) })

	eps, err := d.attach(ctx, id, p.networks, u)
	if err != nil {
		return err
	}
	rec.Endpoints = eps
	setNetns(p.spec, d.netnsPath(id))
	if err := d.writeEtc(p.spec, rec); err != nil {
		return err
	}

	if rec.Ports, err = d.publish(ctx, rec); err != nil {
		return err
	}
	u.push(func() error { _, err := d.ports.UnpublishOwner(ctx, id); return err })

	u.push(func() error { return d.names.unregister(rec.Name, rec.networks()) })
	return d.names.register(rec.Name, aliasesOf(rec.Config), eps)
}

// attach makes the container's network namespace, pinned under the
// state root, and joins it to each network: a veth pair and an address
// per network (phase 2).
func (d *Daemon) attach(ctx context.Context, id string, nets []string, u *undo) (
	[]network.Endpoint, error) {
	nsPath := d.netnsPath(id)
	if err := network.CreateNamespace(nsPath); err != nil {
		return nil, err
	}
	u.push(func() error { return network.DeleteNamespace(nsPath) })

	var eps []network.Endpoint
	for _, n := range nets {
		ep, err := d.networks.Attach(ctx, n, id, nsPath, network.AttachOptions{})
		if err != nil {
			return nil, fmt.Errorf("attach to %s: %w", n, err)
		}
		u.push(func() error { return d.networks.Detach(ctx, n, id) })
		eps = append(eps, *ep)
	}
	return eps, nil
}

// publish publishes the container's -p ports to its address on its
// first network (phase 4), all or none.
func (d *Daemon) publish(ctx context.Context, rec *record) ([]portmap.Mapping, error) {
	if len(rec.Config.Ports) == 0 {
		return nil, nil
	}
	ip := rec.Endpoints[0].Address.Addr()
	var maps []portmap.Mapping
	for _, spec := range rec.Config.Ports {
		ms, err := portmap.Parse(spec, ip)
		if err != nil {
			return nil, err
		}
		for i := range ms {
			ms[i].Owner = rec.ID
		}
		maps = append(maps, ms...)
	}
	published, err := d.ports.Publish(ctx, maps...)
	if err != nil {
		return nil, fmt.Errorf("publish ports: %w", err)
	}
	return published, nil
}

// setNetns points the spec's network namespace at the pinned one, so
// that the container starts inside the namespace already wired up.
func setNetns(spec *specs.Spec, path string) {
	i := slices.IndexFunc(spec.Linux.Namespaces, func(ns specs.LinuxNamespace) bool {
		return ns.Type == specs.NetworkNamespace
	})
	if i < 0 {
		spec.Linux.Namespaces = append(spec.Linux.Namespaces,
			specs.LinuxNamespace{Type: specs.NetworkNamespace})
		i = len(spec.Linux.Namespaces) - 1
	}
	spec.Linux.Namespaces[i].Path = path
}

// runtimeDir holds the daemon's files of one container: its
// resolv.conf and hosts.
func (d *Daemon) runtimeDir(id string) string {
	return filepath.Join(d.cfg.Root, "runtime", id)
}

// netnsPath is where the container's network namespace is pinned.
func (d *Daemon) netnsPath(id string) string {
	return filepath.Join(d.cfg.Root, "netns", id)
}
