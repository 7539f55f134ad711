package daemon

import (
	"context"
	"fmt"

	"shibafu.dev/phase2-network/network"

	"shibafu.dev/phase7-runtime/api"
)

// CreateNetwork makes a network (phase 2) and starts serving DNS on its
// gateway.
func (d *Daemon) CreateNetwork(ctx context.Context, req api.NetworkCreateRequest) (
	*api.Network, error) {
	if err := checkName("network", req.Name); err != nil {
		return nil, err
	}
	subnet, err := network.ParseSubnet(req.Subnet)
	if err != nil {
		return nil, categorize(err)
	}
	n, err := d.networks.Create(ctx, network.Config{Name: req.Name, Subnet: subnet})
	if err != nil {
		return nil, categorize(err)
	}
	if err := d.names.sync(ctx); err != nil {
		d.log.Warn("DNS is not served on a new network", "network", n.Name, "err", err)
	}
	d.log.Info("network created", "network", n.Name, "subnet", n.Subnet)
	v := networkView(*n)
	return &v, nil
}

// Networks lists the networks.
func (d *Daemon) Networks(ctx context.Context) ([]api.Network, error) {
	nets, err := d.networks.List(ctx)
	if err != nil {
		return nil, err
	}
	out := []api.Network{}
	for _, n := range nets {
		out = append(out, networkView(n))
	}
	return out, nil
}

// RemoveNetwork removes a network that no container is on.
func (d *Daemon) RemoveNetwork(ctx context.Context, name string) error {
	if err := d.networks.Remove(ctx, name); err != nil {
		return categorize(fmt.Errorf("remove network %s: %w", name, err))
	}
	if err := d.names.sync(ctx); err != nil {
		d.log.Warn("DNS did not stop on a removed network", "network", name, "err", err)
	}
	d.log.Info("network removed", "network", name)
	return nil
}

func networkView(n network.Network) api.Network {
	return api.Network{Name: n.Name, Bridge: n.Bridge, Subnet: n.Subnet.String(),
		Gateway: n.Gateway.String(), Created: n.Created}
}
