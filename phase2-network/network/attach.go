package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/statefile"
)

// AttachOptions are the optional settings of Attach.
type AttachOptions struct {
	// IP asks for a static address; the zero Addr means the lowest free
	// one.
	IP netip.Addr
}

// Attach joins container id, whose network namespace is the file at
// netnsPath (see PIDNamespace and CreateNamespace), to network. By hand:
//
//	ip link add vethXXX type veth peer name eth0 netns NS address MAC
//	ip link set vethXXX master BRIDGE up
//	ip -n NS addr add IP/BITS dev eth0
//	ip -n NS link set eth0 up
//	ip -n NS link set lo up
//	ip -n NS route add default via GATEWAY   (first network only)
//
// The container's end is eth0 on its first network, eth1 on the next,
// and so on. Everything is done through netlink handles bound to the
// namespace, so no thread of this process ever enters it. On failure
// nothing is left behind: no veth, no address allocated, no record.
func (m *Manager) Attach(ctx context.Context, network, id, netnsPath string,
	opts AttachOptions) (_ *Endpoint, err error) {
	if err := bundle.ValidateID(id); err != nil {
		return nil, err
	}
	lock, err := m.lock()
	if err != nil {
		return nil, err
	}
	defer lock.Close()

	n, err := m.Get(ctx, network)
	if err != nil {
		return nil, err
	}
	if _, err := m.endpoint(network, id); err == nil {
		return nil, fmt.Errorf("container %s on network %s: %w", id, network, ErrExists)
	}
	ns, err := openNamespace(netnsPath)
	if err != nil {
		return nil, err
	}
	defer ns.Close()
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		return nil, fmt.Errorf("netlink in %s: %w", netnsPath, err)
	}
	defer h.Close()

	ep, err := m.newEndpoint(n, id, netnsPath, h, opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			m.releaseAddress(n, ep.Address.Addr())
		}
	}()
	if err := addVeth(n, ep, ns); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			deleteLink(ep.HostVeth)
		}
	}()
	if err := configureInside(h, ep); err != nil {
		return nil, fmt.Errorf("attach %s to %s: %w", id, network, err)
	}
	if err := statefile.WriteJSON(m.endpointFile(network, id), ep); err != nil {
		return nil, fmt.Errorf("attach %s to %s: %w", id, network, err)
	}
	return ep, nil
}

// openNamespace opens a network namespace file, refusing anything else
// and the host's own namespace (attaching that would put eth0 and a
// default route on the host).
func openNamespace(path string) (netns.NsHandle, error) {
	ns, err := netns.GetFromPath(path)
	if err != nil {
		return 0, fmt.Errorf("open netns %s: %w", path, err)
	}
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(ns), &st); err != nil || st.Type != unix.NSFS_MAGIC {
		ns.Close()
		return 0, fmt.Errorf("%w netns %s: not a namespace file", ErrInvalid, path)
	}
	self, err := netns.GetFromPath("/proc/thread-self/ns/net")
	if err != nil {
		ns.Close()
		return 0, fmt.Errorf("open own netns: %w", err)
	}
	defer self.Close()
	if ns.Equal(self) {
		ns.Close()
		return 0, fmt.Errorf("%w netns %s: it is the host's own namespace", ErrInvalid, path)
	}
	return ns, nil
}

// newEndpoint allocates an address and picks the interface name.
func (m *Manager) newEndpoint(n *Network, id, netnsPath string, h *netlink.Handle,
	opts AttachOptions) (*Endpoint, error) {
	ifname, err := nextInterface(h)
	if err != nil {
		return nil, err
	}
	pool, err := m.pool(n)
	if err != nil {
		return nil, err
	}
	ip, err := pool.Allocate(n.Name+"/"+id, opts.IP)
	if err != nil {
		return nil, fmt.Errorf("attach %s to %s: %w", id, n.Name, err)
	}
	abs, err := filepath.Abs(netnsPath)
	if err != nil {
		abs = netnsPath
	}
	return &Endpoint{
		Network:   n.Name,
		ID:        id,
		Netns:     abs,
		Interface: ifname,
		HostVeth:  hostVethName(n.Name, id),
		Address:   netip.PrefixFrom(ip, n.Subnet.Bits()),
		MAC:       MACFor(ip).String(),
		Gateway:   n.Gateway,
	}, nil
}

// releaseAddress gives an address back after a failed attach.
func (m *Manager) releaseAddress(n *Network, ip netip.Addr) {
	if pool, err := m.pool(n); err == nil {
		pool.Release(ip)
	}
}

// nextInterface returns the first of eth0, eth1, ... that the namespace
// does not have yet.
func nextInterface(h *netlink.Handle) (string, error) {
	links, err := h.LinkList()
	if err != nil {
		return "", fmt.Errorf("list container links: %w", err)
	}
	used := map[string]bool{}
	for _, l := range links {
		used[l.Attrs().Name] = true
	}
	for i := 0; ; i++ {
		if name := fmt.Sprintf("eth%d", i); !used[name] {
			return name, nil
		}
	}
}

// addVeth creates the pair with its container end already inside the
// namespace, under its final name, and plugs the host end into the
// bridge. Creating the peer in place means no temporary name ever
// appears on the host.
func addVeth(n *Network, ep *Endpoint, ns netns.NsHandle) error {
	br, err := netlink.LinkByName(n.Bridge)
	if err != nil {
		return fmt.Errorf("find bridge %s: %w", n.Bridge, err)
	}
	mac, err := net.ParseMAC(ep.MAC)
	if err != nil {
		return err
	}
	veth := &netlink.Veth{
		LinkAttrs:        netlink.LinkAttrs{Name: ep.HostVeth, MasterIndex: br.Attrs().Index},
		PeerName:         ep.Interface,
		PeerHardwareAddr: mac,
		PeerNamespace:    netlink.NsFd(ns),
	}
	if err := netlink.LinkAdd(veth); err != nil {
		if errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("add veth %s: %w", ep.HostVeth, ErrExists)
		}
		return fmt.Errorf("add veth %s: %w", ep.HostVeth, err)
	}
	if err := netlink.LinkSetUp(veth); err != nil {
		deleteLink(ep.HostVeth)
		return fmt.Errorf("set %s up: %w", ep.HostVeth, err)
	}
	return nil
}

// configureInside gives the container's end its address, brings it and
// lo up, and adds the default route if the container has none yet.
func configureInside(h *netlink.Handle, ep *Endpoint) error {
	link, err := h.LinkByName(ep.Interface)
	if err != nil {
		return fmt.Errorf("find %s: %w", ep.Interface, err)
	}
	addr := &netlink.Addr{IPNet: ipNet(ep.Address)}
	if err := h.AddrAdd(link, addr); err != nil {
		return fmt.Errorf("add address %s: %w", ep.Address, err)
	}
	if err := h.LinkSetUp(link); err != nil {
		return fmt.Errorf("set %s up: %w", ep.Interface, err)
	}
	lo, err := h.LinkByName("lo")
	if err != nil {
		return fmt.Errorf("find lo: %w", err)
	}
	if err := h.LinkSetUp(lo); err != nil {
		return fmt.Errorf("set lo up: %w", err)
	}
	return ensureDefaultRoute(h, link, ep.Gateway)
}

// ensureDefaultRoute adds `default via GATEWAY dev LINK` unless the
// namespace has a default route already.
func ensureDefaultRoute(h *netlink.Handle, link netlink.Link, gw netip.Addr) error {
	routes, err := h.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list routes: %w", err)
	}
	for _, r := range routes {
		if r.Dst == nil || r.Dst.IP.IsUnspecified() {
			return nil
		}
	}
	route := &netlink.Route{LinkIndex: link.Attrs().Index, Gw: gw.AsSlice()}
	if err := h.RouteAdd(route); err != nil {
		return fmt.Errorf("add default route via %s: %w", gw, err)
	}
	return nil
}

// ipNet converts a prefix holding a host address (10.89.0.2/16) to the
// form netlink takes.
func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), 32)}
}

// deleteLink deletes a host link (`ip link del NAME`); deleting one end
// of a veth pair deletes both. A link already gone is not an error, nor
// is one that vanishes meanwhile: when a container's namespace dies, the
// kernel deletes its veth pairs in the background.
func deleteLink(name string) error {
	link, err := netlink.LinkByName(name)
	var notFound netlink.LinkNotFoundError
	if errors.As(err, &notFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find %s: %w", name, err)
	}
	err = netlink.LinkDel(link)
	if errors.Is(err, unix.ENODEV) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	return nil
}
