package dns

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Record registers one container on one network: its name, its
// addresses and, optionally, the service it is a replica of and the
// ports that service offers.
type Record struct {
	// Network names the network the container is attached to. Only
	// containers on the same network see the record.
	Network string `json:"network"`
	// Name is the container's name, one DNS label. The container answers
	// as NAME inside its network and as NAME.NETWORK.shibafu.internal.
	Name string `json:"name"`
	// IPs are the container's addresses on the network: IPv4 ones answer
	// A queries, IPv6 ones AAAA queries (RFC 3596), and each answers a
	// PTR query under in-addr.arpa or ip6.arpa.
	IPs []netip.Addr `json:"ips"`
	// Service, when set, makes the container one replica of a service:
	// SERVICE answers with the addresses of every replica, rotated.
	Service string `json:"service,omitempty"`
	// Aliases are further names of the container on the network
	// (docker's --network-alias): like Service, each one answers with
	// the addresses of every container that has it, in turn, but it has
	// no SRV records.
	Aliases []string `json:"aliases,omitempty"`
	// Ports are the service's ports, published as SRV records (RFC 2782)
	// named _PORT._PROTO.SERVICE.NETWORK.shibafu.internal.
	Ports []Port `json:"ports,omitempty"`
}

// Port is one port a service offers, for its SRV record.
type Port struct {
	// Name is the SRV service label without its underscore, such as
	// "http"; empty means the port number ("_8080._tcp...").
	Name string `json:"name,omitempty"`
	// Number is the port number.
	Number uint16 `json:"number"`
	// Proto is "tcp" or "udp".
	Proto string `json:"proto"`
}

// label is the grammar of one name label that Shibafu accepts: letters,
// digits and hyphens, 1 to 63 of them, not starting or ending with a
// hyphen (the "preferred name syntax" of RFC 1035 section 2.3.1, with
// digits allowed first as RFC 1123 permits). Underscores are reserved
// for SRV labels.
var label = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// checkLabel reports whether s can be a name label.
func checkLabel(what, s string) error {
	if !label.MatchString(s) {
		return fmt.Errorf("%w %s %q: use 1 to 63 lower-case letters, digits or '-'",
			ErrInvalid, what, s)
	}
	return nil
}

// Validate reports the first field of r that cannot be served.
func (r Record) Validate() error {
	if err := checkLabel("network", r.Network); err != nil {
		return err
	}
	if err := checkLabel("name", r.Name); err != nil {
		return err
	}
	if r.Service != "" {
		if err := checkLabel("service", r.Service); err != nil {
			return err
		}
	}
	for _, a := range r.Aliases {
		if err := checkLabel("alias", a); err != nil {
			return err
		}
	}
	if len(r.IPs) == 0 {
		return fmt.Errorf("%w record %s: no address", ErrInvalid, r.Name)
	}
	for _, ip := range r.IPs {
		if !ip.IsValid() || ip.Zone() != "" {
			return fmt.Errorf("%w record %s: address %q", ErrInvalid, r.Name, ip)
		}
	}
	if len(r.Ports) > 0 && r.Service == "" {
		return fmt.Errorf("%w record %s: ports need a service", ErrInvalid, r.Name)
	}
	for _, p := range r.Ports {
		if err := p.validate(); err != nil {
			return err
		}
	}
	return nil
}

// sharedNames returns the names the record shares with the other
// containers that have them: its service and its aliases, each once.
func (r Record) sharedNames() []string {
	var out []string
	for _, n := range append([]string{r.Service}, r.Aliases...) {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// FQDN returns the record's fully qualified name,
// NAME.NETWORK.shibafu.internal. with its final dot.
func (r Record) FQDN() string {
	return r.Name + "." + networkDomain(r.Network)
}

func (p Port) validate() error {
	if p.Number == 0 {
		return fmt.Errorf("%w port %q: number 0", ErrInvalid, p)
	}
	if p.Proto != "tcp" && p.Proto != "udp" {
		return fmt.Errorf("%w port %q: protocol must be tcp or udp", ErrInvalid, p)
	}
	if p.Name != "" {
		return checkLabel("port name", p.Name)
	}
	return nil
}

// label returns the port's SRV service label, without the underscore.
func (p Port) label() string {
	if p.Name == "" {
		return strconv.Itoa(int(p.Number))
	}
	return p.Name
}

// String formats p as ParsePort reads it: [NAME:]NUMBER/PROTO.
func (p Port) String() string {
	s := fmt.Sprintf("%d/%s", p.Number, p.Proto)
	if p.Name != "" {
		s = p.Name + ":" + s
	}
	return s
}

// ParsePort parses "[NAME:]NUMBER[/PROTO]", such as "http:80/tcp" or
// "53/udp"; the protocol defaults to tcp.
func ParsePort(s string) (Port, error) {
	var p Port
	rest := s
	if name, after, ok := strings.Cut(s, ":"); ok {
		p.Name, rest = name, after
	}
	num, proto, ok := strings.Cut(rest, "/")
	if !ok {
		proto = "tcp"
	}
	n, err := strconv.ParseUint(num, 10, 16)
	if err != nil {
		return Port{}, fmt.Errorf("%w port %q: want [NAME:]NUMBER[/PROTO]", ErrInvalid, s)
	}
	p.Number, p.Proto = uint16(n), proto
	if err := p.validate(); err != nil {
		return Port{}, err
	}
	return p, nil
}
