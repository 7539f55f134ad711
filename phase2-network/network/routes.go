package network

import (
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
)

// checkHostRoutes refuses a subnet that overlaps a route of the host's
// main routing table (what `ip route` lists), except the default route:
// a bridge on such a subnet would steal traffic meant for a real network.
func checkHostRoutes(subnet netip.Prefix) error {
	routes, err := netlink.RouteList(nil, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list host routes: %w", err)
	}
	for _, r := range routes {
		if r.Dst == nil {
			continue
		}
		bits, _ := r.Dst.Mask.Size()
		if bits == 0 {
			continue
		}
		addr, ok := netip.AddrFromSlice(r.Dst.IP.To4())
		if !ok {
			continue
		}
		dst := netip.PrefixFrom(addr, bits)
		if dst.Overlaps(subnet) {
			return fmt.Errorf("subnet %s: %w host route %s%s", subnet, ErrOverlap, dst, routeDev(r))
		}
	}
	return nil
}

// routeDev names a route's device for an error message.
func routeDev(r netlink.Route) string {
	link, err := netlink.LinkByIndex(r.LinkIndex)
	if err != nil {
		return ""
	}
	return " dev " + link.Attrs().Name
}
