package dns

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// Domain is the zone the server is authoritative for. ".internal" is
// reserved by ICANN for private use, so it never clashes with a real
// name on the Internet.
const Domain = "shibafu.internal."

// networkDomain is the domain of one network's names,
// NETWORK.shibafu.internal.
func networkDomain(network string) string {
	return network + "." + Domain
}

// inZone reports whether name (lower case, fully qualified) is Domain or
// a name below it.
func inZone(name string) bool {
	return name == Domain || strings.HasSuffix(name, "."+Domain)
}

// networkOf returns the network label of a name in the zone: "net1" for
// web.net1.shibafu.internal. It returns "" for the zone apex.
func networkOf(name string) string {
	rest := strings.TrimSuffix(name, "."+Domain)
	if rest == name {
		return ""
	}
	if i := strings.LastIndexByte(rest, '.'); i >= 0 {
		return rest[i+1:]
	}
	return rest
}

// reverseName is the PTR owner of ip: 2.0.89.10.in-addr.arpa. for
// 10.89.0.2 (RFC 1035 section 3.5), nibbles under ip6.arpa. for IPv6
// (RFC 3596 section 2.5).
func reverseName(ip netip.Addr) string {
	name, err := dns.ReverseAddr(ip.String())
	if err != nil {
		return "" // cannot happen for a valid address
	}
	return name
}

// isReverse reports whether name lies under in-addr.arpa. or ip6.arpa.
func isReverse(name string) bool {
	return strings.HasSuffix(name, ".in-addr.arpa.") || strings.HasSuffix(name, ".ip6.arpa.")
}

// reverseZone is the reverse zone that holds a subnet's PTR names, cut
// at the last whole octet: 89.10.in-addr.arpa. for 10.89.0.0/16, and
// 0.214.10.in-addr.arpa. for 10.214.0.0/24 (RFC 2317 describes the
// finer cuts that this server does not need).
func reverseZone(p netip.Prefix) string {
	if !p.Addr().Is4() {
		return ""
	}
	a := p.Masked().Addr().As4()
	var b strings.Builder
	for i := p.Bits()/8 - 1; i >= 0; i-- {
		b.WriteString(strconv.Itoa(int(a[i])) + ".")
	}
	return b.String() + "in-addr.arpa."
}
