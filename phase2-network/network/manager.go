package network

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"shibafu.dev/phase0-runc/statefile"
	"shibafu.dev/phase2-network/ipam"
)

// Defaults of the host conventions in DESIGN.md.
const (
	// DefaultRoot is the state root used when Manager.Root is empty.
	DefaultRoot = "/var/lib/shibafu"
	// DefaultChainPrefix names Shibafu's iptables chains (SHIBAFU-FORWARD,
	// ...) when Manager.ChainPrefix is empty.
	DefaultChainPrefix = "SHIBAFU"
	// DefaultName is the network containers join when none is named.
	DefaultName = "shibafu0"
	// DefaultSubnet is the subnet of the default network.
	DefaultSubnet = "10.89.0.0/16"
)

// Manager creates networks and attaches containers to them. Its zero
// value uses DefaultRoot and DefaultChainPrefix.
type Manager struct {
	// Root is the state root; empty means DefaultRoot.
	Root string
	// ChainPrefix starts the names of the iptables chains this Manager
	// adds; empty means DefaultChainPrefix. Networks isolate each other
	// only when they share a prefix. Tests give each run its own.
	ChainPrefix string
}

// Config describes a network to create.
type Config struct {
	// Name names the network and, unless Bridge is set, its bridge, so it
	// follows Linux interface names: 1 to 15 letters, digits, '_', '.'
	// or '-', starting with a letter or digit.
	Name string
	// Subnet is the network's IPv4 subnet, such as 10.89.0.0/16; see
	// ParseSubnet.
	Subnet netip.Prefix
	// Gateway is the bridge's address; the zero Addr means the subnet's
	// first host address.
	Gateway netip.Addr
	// Bridge names the bridge device; empty means Name.
	Bridge string
}

// Network is a network as recorded under the state root.
type Network struct {
	// Name names the network; Bridge is its bridge device.
	Name   string `json:"name"`
	Bridge string `json:"bridge"`
	// Subnet holds the containers' addresses; Gateway, the bridge's own,
	// is their default route.
	Subnet  netip.Prefix `json:"subnet"`
	Gateway netip.Addr   `json:"gateway"`
	// Created is when the network was created, in UTC.
	Created time.Time `json:"created"`
}

// DefaultConfig returns the configuration of the default network:
// bridge shibafu0 on 10.89.0.0/16.
func DefaultConfig() Config {
	return Config{Name: DefaultName, Subnet: netip.MustParsePrefix(DefaultSubnet)}
}

// linkName is the grammar of a Linux interface name that Shibafu accepts.
var linkName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$`)

// checkLinkName reports whether name can name an interface.
func checkLinkName(what, name string) error {
	if !linkName.MatchString(name) {
		return fmt.Errorf("%w %s name %q: use 1 to 15 letters, digits, '_', '.' or '-',"+
			" starting with a letter or digit", ErrInvalid, what, name)
	}
	return nil
}

// ParseSubnet parses a CIDR such as "10.89.0.0/16" and checks that it can
// be a network: IPv4, its network address, /30 or larger.
func ParseSubnet(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%w subnet %q: want a CIDR such as 10.89.0.0/16",
			ErrInvalid, s)
	}
	if err := ipam.CheckSubnet(p); err != nil {
		return netip.Prefix{}, fmt.Errorf("%w %w", ErrInvalid, err)
	}
	return p, nil
}

func (m *Manager) root() string {
	if m.Root == "" {
		return DefaultRoot
	}
	return m.Root
}

func (m *Manager) chainPrefix() string {
	if m.ChainPrefix == "" {
		return DefaultChainPrefix
	}
	return m.ChainPrefix
}

// dir is the folder of one network's records.
func (m *Manager) dir(name string) string {
	return filepath.Join(m.root(), "networks", name)
}

// lock serialises every change under the state root, across processes.
func (m *Manager) lock() (*os.File, error) {
	return statefile.Lock(filepath.Join(m.root(), "networks", "lock"))
}

// pool returns the address pool of n.
func (m *Manager) pool(n *Network) (*ipam.Pool, error) {
	return ipam.New(filepath.Join(m.dir(n.Name), "ipam.json"), n.Subnet, n.Gateway)
}

// Get returns the network called name.
func (m *Manager) Get(ctx context.Context, name string) (*Network, error) {
	if err := checkLinkName("network", name); err != nil {
		return nil, err
	}
	var n Network
	err := statefile.ReadJSON(filepath.Join(m.dir(name), "network.json"), &n)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// List returns every network, sorted by name.
func (m *Manager) List(ctx context.Context) ([]Network, error) {
	entries, err := os.ReadDir(filepath.Join(m.root(), "networks"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	var list []Network
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n, err := m.Get(ctx, e.Name())
		if errors.Is(err, ErrNotFound) {
			continue // being created or removed right now
		}
		if err != nil {
			return nil, err
		}
		list = append(list, *n)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, nil
}
