package network

import (
	"fmt"
	"net"
	"os"

	"github.com/vishvananda/netlink"
)

// addBridge creates n's bridge with the gateway address and brings it up:
//
//	ip link add BRIDGE type bridge
//	ip addr add GATEWAY/BITS dev BRIDGE
//	ip link set BRIDGE up
//
// Giving the bridge an address makes the kernel add the route to the
// subnet through it, so the host reaches every container directly.
//
// The bridge also gets a fixed MAC address, derived from the gateway's
// as a container's is (`ip link add BRIDGE address MAC type bridge`).
// Left to itself, a bridge takes the lowest MAC of its ports and changes
// it whenever a port comes or goes, so a container that disconnects
// from the network would leave its neighbours with a stale gateway
// address in their ARP caches, and cut them off.
func addBridge(n *Network) (err error) {
	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{
		Name:         n.Bridge,
		HardwareAddr: MACFor(n.Gateway),
	}}
	if err := netlink.LinkAdd(br); err != nil {
		return fmt.Errorf("add bridge %s: %w", n.Bridge, err)
	}
	defer func() {
		if err != nil {
			netlink.LinkDel(br)
		}
	}()

	addr := &netlink.Addr{IPNet: &net.IPNet{
		IP:   n.Gateway.AsSlice(),
		Mask: net.CIDRMask(n.Subnet.Bits(), 32),
	}}
	if err := netlink.AddrAdd(br, addr); err != nil {
		return fmt.Errorf("add address %s to %s: %w", addr.IPNet, n.Bridge, err)
	}
	if err := netlink.LinkSetUp(br); err != nil {
		return fmt.Errorf("set %s up: %w", n.Bridge, err)
	}
	return nil
}

// deleteBridge deletes a bridge (`ip link del BRIDGE`); one already gone
// is not an error. The kernel unplugs any port still attached.
func deleteBridge(name string) error {
	return deleteLink(name)
}

// linkExists reports whether the host has a link called name.
func linkExists(name string) bool {
	_, err := netlink.LinkByName(name)
	return err == nil
}

// enableForwarding turns on IPv4 forwarding, without which the host
// would not route the containers' packets between the bridge and other
// interfaces (`sysctl -w net.ipv4.ip_forward=1`). It is a host-wide
// setting, so it is left on when networks are removed.
func enableForwarding() error {
	const path = "/proc/sys/net/ipv4/ip_forward"
	cur, err := os.ReadFile(path)
	if err == nil && len(cur) > 0 && cur[0] == '1' {
		return nil
	}
	if err := os.WriteFile(path, []byte("1\n"), 0o644); err != nil {
		return fmt.Errorf("enable ip forwarding: %w", err)
	}
	return nil
}
