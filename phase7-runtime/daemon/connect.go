package daemon

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"shibafu.dev/phase2-network/network"

	"shibafu.dev/phase7-runtime/api"
)

// Connect joins a running container to one more network, like `docker
// network connect`: a new veth pair and address in its namespace (the
// next ethN, phase 2) and its name (and aliases) in DNS on that
// network. Its resolv.conf gains the network's search domain, and its
// hosts file its address there.
func (d *Daemon) Connect(ctx context.Context, netName, idOrName string) (err error) {
	rec, unlock, err := d.lockedLive(idOrName)
	if err != nil {
		return err
	}
	defer unlock()
	if slices.Contains(rec.networks(), netName) {
		return conflict(fmt.Errorf("container %s is already on network %s", rec.Name, netName))
	}

	ep, err := d.networks.Attach(ctx, netName, rec.ID, d.netnsPath(rec.ID),
		network.AttachOptions{})
	if err != nil {
		return categorize(fmt.Errorf("connect %s to %s: %w", rec.Name, netName, err))
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, d.networks.Detach(ctx, netName, rec.ID))
		}
	}()
	err = d.names.register(rec.Name, aliasesOf(rec.Config), []network.Endpoint{*ep})
	if err != nil {
		return err
	}
	rec.Endpoints = append(rec.Endpoints, *ep)
	if err := d.db.put(rec); err != nil {
		return errors.Join(err, d.names.unregister(rec.Name, []string{netName}))
	}
	d.refreshNetworkFiles(rec)
	d.log.Info("container connected", "id", rec.ID, "name", rec.Name, "network", netName)
	d.emit("connect", rec, "network", netName)
	return nil
}

// Disconnect takes a running container off one of its networks, like
// `docker network disconnect`. It refuses the container's last network,
// and the one its published ports lead to.
func (d *Daemon) Disconnect(ctx context.Context, netName, idOrName string) error {
	rec, unlock, err := d.lockedLive(idOrName)
	if err != nil {
		return err
	}
	defer unlock()
	i := slices.IndexFunc(rec.Endpoints, func(ep network.Endpoint) bool {
		return ep.Network == netName
	})
	switch {
	case i < 0:
		return notFound(fmt.Errorf("container %s is not on network %s", rec.Name, netName))
	case len(rec.Endpoints) == 1:
		return conflict(fmt.Errorf("network %s is the last of container %s:"+
			" connect it to another first", netName, rec.Name))
	case i == 0 && len(rec.Ports) > 0:
		return conflict(fmt.Errorf("the published ports of container %s lead to network %s:"+
			" it cannot leave it", rec.Name, netName))
	}

	if err := d.names.unregister(rec.Name, []string{netName}); err != nil {
		return err
	}
	if err := d.networks.Detach(ctx, netName, rec.ID); err != nil {
		return categorize(fmt.Errorf("disconnect %s from %s: %w", rec.Name, netName, err))
	}
	rec.Endpoints = slices.Delete(rec.Endpoints, i, i+1)
	if err := d.db.put(rec); err != nil {
		return err
	}
	d.refreshNetworkFiles(rec)
	d.log.Info("container disconnected", "id", rec.ID, "name", rec.Name, "network", netName)
	d.emit("disconnect", rec, "network", netName)
	return nil
}

// refreshNetworkFiles rewrites the resolv.conf and hosts of a running
// container whose networks changed. The change itself is done and
// saved; a file that cannot be written only leaves the container with
// the old one, which the operator hears of.
func (d *Daemon) refreshNetworkFiles(rec *record) {
	if err := d.writeNetworkFiles(rec); err != nil {
		d.log.Warn("cannot update a container's resolv.conf and hosts", "id", rec.ID,
			"err", err)
	}
}

// lockedLive finds a container that holds its network (it runs, or waits
// for its policy to restart it) and takes its lock.
func (d *Daemon) lockedLive(idOrName string) (*record, func(), error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, nil, err
	}
	unlock := d.lock(rec.ID)
	if rec, err = d.db.get(rec.ID); err != nil {
		unlock()
		return nil, nil, err
	}
	if rec.Released {
		unlock()
		return nil, nil, conflict(fmt.Errorf("container %s is not running: start it first",
			rec.Name))
	}
	return rec, unlock, nil
}

// InspectNetwork describes a network and the containers on it.
func (d *Daemon) InspectNetwork(ctx context.Context, name string) (*api.Network, error) {
	n, err := d.networks.Get(ctx, name)
	if err != nil {
		return nil, categorize(err)
	}
	eps, err := d.networks.Endpoints(ctx, name)
	if err != nil {
		return nil, categorize(err)
	}
	v := networkView(*n)
	v.Containers = []api.NetworkContainer{}
	for _, ep := range eps {
		c := api.NetworkContainer{ID: ep.ID, Interface: ep.Interface,
			IP: ep.Address.Addr().String(), MAC: ep.MAC}
		if rec, err := d.db.get(ep.ID); err == nil {
			c.Name = rec.Name
		}
		v.Containers = append(v.Containers, c)
	}
	return &v, nil
}
