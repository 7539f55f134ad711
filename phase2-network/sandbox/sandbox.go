package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
)

// Manager runs containers on networks, keeping both under one state root.
// Its zero value uses network.DefaultRoot and network.DefaultChainPrefix.
type Manager struct {
	// Root is the state root shared by containers, networks and
	// namespaces; empty means network.DefaultRoot.
	Root string
	// ChainPrefix is the networks' iptables chain prefix; see
	// network.Manager.
	ChainPrefix string
}

// Config describes a container to run and the networks it joins.
type Config struct {
	// Container is the phase 1 container. Its spec must ask for a network
	// namespace of its own; the Manager fills in the path.
	Container container.Config
	// Networks are joined in order: the first one becomes eth0 and holds
	// the default route. None leaves the container with loopback only.
	Networks []Attachment
}

// Attachment names a network to join and, optionally, a static address.
type Attachment struct {
	// Network names the network.
	Network string
	// IP is a static address; the zero Addr means the lowest free one.
	IP netip.Addr
}

// Networks returns the network Manager on the same root.
func (m *Manager) Networks() *network.Manager {
	return &network.Manager{Root: m.Root, ChainPrefix: m.ChainPrefix}
}

// Containers returns the phase 1 container Manager on the same root.
func (m *Manager) Containers() *container.Manager {
	return &container.Manager{Root: m.Root}
}

// NamespacePath is where the network namespace of container id is pinned.
func (m *Manager) NamespacePath(id string) string {
	root := m.Root
	if root == "" {
		root = network.DefaultRoot
	}
	return filepath.Join(root, "netns", id)
}

// Run runs a container in the foreground on its networks, as
// container.Manager.Run does, and takes it off them when it exits.
func (m *Manager) Run(ctx context.Context, cfg Config, stdio container.Stdio) (
	_ container.Exit, err error) {
	cc, _, err := m.prepare(ctx, cfg)
	if err != nil {
		return container.Exit{}, err
	}
	defer func() {
		err = errors.Join(err, m.release(context.WithoutCancel(ctx), cc.ID))
	}()
	return m.Containers().Run(ctx, cc, stdio)
}

// RunDetached starts a container in the background on its networks and
// returns its endpoints, eth0 first. Remove takes it down again.
func (m *Manager) RunDetached(ctx context.Context, cfg Config) ([]network.Endpoint, error) {
	cc, eps, err := m.prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := m.Containers().RunDetached(ctx, cc); err != nil {
		return nil, errors.Join(err, m.release(context.WithoutCancel(ctx), cc.ID))
	}
	return eps, nil
}

// Remove deletes container id, killing it if it runs, detaches it from
// every network and deletes its namespace. A container that is already
// gone (it was auto-removed, say) still has its networking cleaned up.
func (m *Manager) Remove(ctx context.Context, id string) error {
	err := m.Containers().Delete(ctx, id, true)
	if errors.Is(err, container.ErrNotFound) {
		if _, statErr := os.Stat(m.NamespacePath(id)); statErr != nil {
			return err
		}
		err = nil
	}
	return errors.Join(err, m.release(ctx, id))
}

// prepare creates the container's namespace, attaches it to its networks
// and returns the container config pointing at the namespace. On error
// nothing is left.
func (m *Manager) prepare(ctx context.Context, cfg Config) (
	_ container.Config, _ []network.Endpoint, err error) {
	id := cfg.Container.ID
	if err := bundle.ValidateID(id); err != nil {
		return container.Config{}, nil, err
	}
	nsPath := m.NamespacePath(id)
	spec, err := withNetns(cfg.Container.Spec, nsPath)
	if err != nil {
		return container.Config{}, nil, err
	}
	for _, a := range cfg.Networks {
		if _, err := m.Networks().Get(ctx, a.Network); err != nil {
			return container.Config{}, nil, err
		}
	}

	if err := network.CreateNamespace(nsPath); err != nil {
		return container.Config{}, nil, fmt.Errorf("container %s: %w", id, err)
	}
	defer func() {
		if err != nil {
			m.release(context.WithoutCancel(ctx), id)
		}
	}()
	var eps []network.Endpoint
	for _, a := range cfg.Networks {
		ep, err := m.Networks().Attach(ctx, a.Network, id, nsPath, network.AttachOptions{IP: a.IP})
		if err != nil {
			return container.Config{}, nil, err
		}
		eps = append(eps, *ep)
	}
	cc := cfg.Container
	cc.Spec = spec
	return cc, eps, nil
}

// release detaches container id from every network and deletes its
// namespace.
func (m *Manager) release(ctx context.Context, id string) error {
	return errors.Join(
		m.Networks().DetachAll(ctx, id),
		network.DeleteNamespace(m.NamespacePath(id)),
	)
}

// withNetns returns a copy of spec whose network namespace is the one
// pinned at path. The caller's spec is not changed.
func withNetns(spec *specs.Spec, path string) (*specs.Spec, error) {
	if spec == nil || spec.Linux == nil {
		return nil, errors.New("spec: no linux section")
	}
	i := slices.IndexFunc(spec.Linux.Namespaces, func(ns specs.LinuxNamespace) bool {
		return ns.Type == specs.NetworkNamespace
	})
	if i < 0 {
		return nil, errors.New("spec: the container shares the host's network namespace," +
			" so it cannot join networks")
	}
	cp := *spec
	linux := *spec.Linux
	linux.Namespaces = slices.Clone(spec.Linux.Namespaces)
	linux.Namespaces[i].Path = path
	cp.Linux = &linux
	return &cp, nil
}
