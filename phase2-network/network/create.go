package network

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"shibafu.dev/phase0-runc/statefile"
	"shibafu.dev/phase2-network/ipam"
)

// Create makes a network: a bridge holding the gateway address, its
// iptables rules, and its record. It is the work of
//
//	ip link add NAME type bridge
//	ip addr add GATEWAY/BITS dev NAME
//	ip link set NAME up
//	sysctl -w net.ipv4.ip_forward=1
//
// plus the rules described in firewall.go. A duplicate name, a bridge
// name already used on the host, or a subnet that overlaps another
// network or a host route is refused before anything is changed; if a
// later step fails, the earlier ones are undone.
func (m *Manager) Create(ctx context.Context, cfg Config) (_ *Network, err error) {
	n, err := m.validate(cfg)
	if err != nil {
		return nil, err
	}
	fw, err := m.firewall()
	if err != nil {
		return nil, err
	}

	lock, err := m.lock()
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := m.checkFree(ctx, n); err != nil {
		return nil, err
	}

	if err := addBridge(n); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			deleteBridge(n.Bridge)
		}
	}()
	if err := fw.addNetwork(n); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			fw.removeNetwork(n)
		}
	}()
	if err := enableForwarding(); err != nil {
		return nil, err
	}

	// Writing the record is the commit point: until it exists, List and
	// Get do not see the network.
	if err := os.MkdirAll(filepath.Join(m.dir(n.Name), "endpoints"), 0o700); err != nil {
		return nil, fmt.Errorf("create network %s: %w", n.Name, err)
	}
	if err := statefile.WriteJSON(filepath.Join(m.dir(n.Name), "network.json"), n); err != nil {
		os.RemoveAll(m.dir(n.Name))
		return nil, fmt.Errorf("create network %s: %w", n.Name, err)
	}
	return n, nil
}

// validate checks cfg on its own and fills in its defaults.
func (m *Manager) validate(cfg Config) (*Network, error) {
	if err := checkLinkName("network", cfg.Name); err != nil {
		return nil, err
	}
	if cfg.Bridge == "" {
		cfg.Bridge = cfg.Name
	}
	if err := checkLinkName("bridge", cfg.Bridge); err != nil {
		return nil, err
	}
	if err := ipam.CheckSubnet(cfg.Subnet); err != nil {
		return nil, fmt.Errorf("%w %w", ErrInvalid, err)
	}
	if !cfg.Gateway.IsValid() {
		cfg.Gateway = ipam.FirstHost(cfg.Subnet)
	}
	if !ipam.IsHost(cfg.Subnet, cfg.Gateway) {
		return nil, fmt.Errorf("%w gateway %s: not a host address of %s",
			ErrInvalid, cfg.Gateway, cfg.Subnet)
	}
	return &Network{
		Name:    cfg.Name,
		Bridge:  cfg.Bridge,
		Subnet:  cfg.Subnet,
		Gateway: cfg.Gateway,
		Created: time.Now().UTC(),
	}, nil
}

// checkFree refuses a network whose name, bridge or subnet is taken.
// The caller holds the lock.
func (m *Manager) checkFree(ctx context.Context, n *Network) error {
	if _, err := m.Get(ctx, n.Name); err == nil {
		return fmt.Errorf("network %s: %w", n.Name, ErrExists)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if linkExists(n.Bridge) {
		return fmt.Errorf("bridge %s: a link of that name %w on the host", n.Bridge, ErrExists)
	}
	others, err := m.List(ctx)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.Subnet.Overlaps(n.Subnet) {
			return fmt.Errorf("subnet %s: %w network %s (%s)",
				n.Subnet, ErrOverlap, o.Name, o.Subnet)
		}
	}
	return checkHostRoutes(n.Subnet)
}

// Remove deletes a network that has no containers attached: its
// iptables rules, its bridge (`ip link del NAME`) and its records. The
// rules and bridge of other networks, and anything Shibafu did not add,
// are left alone.
func (m *Manager) Remove(ctx context.Context, name string) error {
	fw, err := m.firewall()
	if err != nil {
		return err
	}
	lock, err := m.lock()
	if err != nil {
		return err
	}
	defer lock.Close()

	n, err := m.Get(ctx, name)
	if err != nil {
		return err
	}
	eps, err := m.Endpoints(ctx, name)
	if err != nil {
		return err
	}
	if len(eps) > 0 {
		return fmt.Errorf("remove network %s: %w by %d container(s), first %s:"+
			" disconnect them first", name, ErrInUse, len(eps), eps[0].ID)
	}

	if err := fw.removeNetwork(n); err != nil {
		return fmt.Errorf("remove network %s: %w", name, err)
	}
	if err := deleteBridge(n.Bridge); err != nil {
		return fmt.Errorf("remove network %s: %w", name, err)
	}
	return os.RemoveAll(m.dir(name))
}

// EnsureDefault returns the default network (DefaultConfig), creating it
// first if it does not exist yet.
func (m *Manager) EnsureDefault(ctx context.Context) (*Network, error) {
	n, err := m.Get(ctx, DefaultName)
	if !errors.Is(err, ErrNotFound) {
		return n, err
	}
	n, err = m.Create(ctx, DefaultConfig())
	if errors.Is(err, ErrExists) {
		return m.Get(ctx, DefaultName) // another process won the race
	}
	return n, err
}
