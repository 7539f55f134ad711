package ipam

import (
	"errors"
	"fmt"
	"net/netip"
)

// CheckSubnet reports whether subnet can be a pool: IPv4, written as its
// network address (10.89.0.0/16, not 10.89.0.7/16), and large enough for
// a gateway and at least one more host, which rules out /31 and /32.
func CheckSubnet(subnet netip.Prefix) error {
	switch {
	case !subnet.IsValid():
		return errors.New("invalid subnet")
	case !subnet.Addr().Is4():
		return fmt.Errorf("subnet %s: only IPv4 is supported", subnet)
	case subnet.Masked() != subnet:
		return fmt.Errorf("subnet %s is not a network address (did you mean %s?)",
			subnet, subnet.Masked())
	case subnet.Bits() > 30:
		return fmt.Errorf("subnet %s is too small: use /30 or larger", subnet)
	}
	return nil
}

// FirstHost returns the first usable address of subnet, the one after the
// network address, where Shibafu puts the gateway by default.
func FirstHost(subnet netip.Prefix) netip.Addr {
	return subnet.Masked().Addr().Next()
}

// Broadcast returns the last address of an IPv4 subnet, the one with every
// host bit set.
func Broadcast(subnet netip.Prefix) netip.Addr {
	a := subnet.Masked().Addr().As4()
	for i := subnet.Bits(); i < 32; i++ {
		a[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(a)
}

// IsHost reports whether addr is an address a host in subnet may use:
// inside it, and neither its network nor its broadcast address.
func IsHost(subnet netip.Prefix, addr netip.Addr) bool {
	return subnet.Contains(addr) &&
		addr != subnet.Masked().Addr() &&
		addr != Broadcast(subnet)
}
