package network

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"shibafu.dev/phase0-runc/statefile"
)

// Endpoint is one container's attachment to one network: the two ends of
// its veth pair and the address it was given.
type Endpoint struct {
	// Network and ID name the network and the container.
	Network string `json:"network"`
	ID      string `json:"id"`
	// Netns is the path of the container's network namespace.
	Netns string `json:"netns"`
	// Interface is the container's end of the pair: eth0, eth1, ...
	Interface string `json:"interface"`
	// HostVeth is the host's end, plugged into the bridge.
	HostVeth string `json:"host_veth"`
	// Address is the container's address with the subnet's prefix length.
	Address netip.Prefix `json:"address"`
	// MAC is the container interface's hardware address; see MACFor.
	MAC string `json:"mac"`
	// Gateway is the bridge's address on this network.
	Gateway netip.Addr `json:"gateway"`
}

// hostVethName derives the host end's name from the network and the
// container, so it is the same every time and fits the 15 characters
// of an interface name: "veth" and 11 hex digits of a SHA-256.
func hostVethName(network, id string) string {
	sum := sha256.Sum256([]byte(network + "/" + id))
	return "veth" + hex.EncodeToString(sum[:])[:11]
}

// MACFor derives a hardware address from an IPv4 address, 02:53 followed
// by the four address bytes (02:53:0a:59:00:02 for 10.89.0.2), as Docker
// does with its own 02:42 prefix. The 02 marks a locally administered
// unicast address, so it can never clash with a real card's; deriving it
// from the IP means a reused IP keeps a MAC that neighbours already know.
func MACFor(ip netip.Addr) net.HardwareAddr {
	a := ip.As4()
	return net.HardwareAddr{0x02, 0x53, a[0], a[1], a[2], a[3]}
}

// endpointFile is where the record of id's endpoint on network lives.
func (m *Manager) endpointFile(network, id string) string {
	return filepath.Join(m.dir(network), "endpoints", id+".json")
}

// endpoint reads the record of id's endpoint on network.
func (m *Manager) endpoint(network, id string) (*Endpoint, error) {
	var ep Endpoint
	err := statefile.ReadJSON(m.endpointFile(network, id), &ep)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("container %s is %w to network %s", id, ErrNotAttached, network)
	}
	if err != nil {
		return nil, err
	}
	return &ep, nil
}

// Endpoints returns the containers attached to network, sorted by ID.
func (m *Manager) Endpoints(ctx context.Context, network string) ([]Endpoint, error) {
	if _, err := m.Get(ctx, network); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(m.dir(network), "endpoints"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("list endpoints: %w", err)
	}
	var eps []Endpoint
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || strings.HasPrefix(id, ".") {
			continue
		}
		ep, err := m.endpoint(network, id)
		if err != nil {
			return nil, err
		}
		eps = append(eps, *ep)
	}
	sort.Slice(eps, func(i, j int) bool { return eps[i].ID < eps[j].ID })
	return eps, nil
}

// Attachments returns every network container id is attached to, in the
// order of its interfaces (eth0 first).
func (m *Manager) Attachments(ctx context.Context, id string) ([]Endpoint, error) {
	nets, err := m.List(ctx)
	if err != nil {
		return nil, err
	}
	var eps []Endpoint
	for _, n := range nets {
		ep, err := m.endpoint(n.Name, id)
		if errors.Is(err, ErrNotAttached) {
			continue
		}
		if err != nil {
			return nil, err
		}
		eps = append(eps, *ep)
	}
	sort.Slice(eps, func(i, j int) bool { return ifaceLess(eps[i].Interface, eps[j].Interface) })
	return eps, nil
}

// ifaceLess orders eth2 before eth10.
func ifaceLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
