package network

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/vishvananda/netlink"

	"shibafu.dev/phase2-network/ipam"
)

// Detach takes container id off network: it deletes the veth pair
// (`ip link del vethXXX`, which takes the container's end with it),
// gives the address back to the pool and forgets the endpoint. If that
// was the interface with the default route and the container is on
// other networks, the default route moves to the next one's gateway.
//
// A container that has exited already is fine: its namespace, and the
// veth pair with it, is gone, and only the records are cleaned up.
func (m *Manager) Detach(ctx context.Context, network, id string) error {
	lock, err := m.lock()
	if err != nil {
		return err
	}
	defer lock.Close()

	n, err := m.Get(ctx, network)
	if err != nil {
		return err
	}
	ep, err := m.endpoint(network, id)
	if err != nil {
		return err
	}

	if err := deleteLink(ep.HostVeth); err != nil {
		return fmt.Errorf("detach %s from %s: %w", id, network, err)
	}
	pool, err := m.pool(n)
	if err != nil {
		return err
	}
	if err := pool.Release(ep.Address.Addr()); err != nil && !errors.Is(err, ipam.ErrNotAllocated) {
		return fmt.Errorf("detach %s from %s: %w", id, network, err)
	}
	if err := os.Remove(m.endpointFile(network, id)); err != nil {
		return fmt.Errorf("detach %s from %s: %w", id, network, err)
	}
	return m.moveDefaultRoute(ctx, id)
}

// DetachAll takes container id off every network it is on.
func (m *Manager) DetachAll(ctx context.Context, id string) error {
	eps, err := m.Attachments(ctx, id)
	if err != nil {
		return err
	}
	var errs []error
	for _, ep := range eps {
		if err := m.Detach(ctx, ep.Network, id); err != nil && !errors.Is(err, ErrNotAttached) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// moveDefaultRoute gives the container a default route through its first
// remaining network if it lost the one it had. A namespace that cannot be
// opened belongs to a container that has exited: nothing to do.
func (m *Manager) moveDefaultRoute(ctx context.Context, id string) error {
	eps, err := m.Attachments(ctx, id)
	if err != nil || len(eps) == 0 {
		return err
	}
	first := eps[0]
	ns, err := openNamespace(first.Netns)
	if err != nil {
		return nil
	}
	defer ns.Close()
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		return fmt.Errorf("netlink in %s: %w", first.Netns, err)
	}
	defer h.Close()
	link, err := h.LinkByName(first.Interface)
	if err != nil {
		return nil
	}
	return ensureDefaultRoute(h, link, first.Gateway)
}
