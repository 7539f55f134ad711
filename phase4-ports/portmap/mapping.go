package portmap

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Proto is a transport protocol that can be published: "tcp" or "udp".
type Proto string

// The protocols a Mapping can carry.
const (
	TCP Proto = "tcp"
	UDP Proto = "udp"
)

// ParseProto checks that s names a protocol that can be published; the
// empty string means TCP, as in `docker run -p 8080:80`.
func ParseProto(s string) (Proto, error) {
	switch p := Proto(strings.ToLower(s)); p {
	case "":
		return TCP, nil
	case TCP, UDP:
		return p, nil
	}
	return "", fmt.Errorf("%w protocol %q: want tcp or udp", ErrInvalid, s)
}

// Mapping publishes one container port on the host: packets of Proto for
// HostIP:HostPort are rewritten to go to ContainerIP:ContainerPort.
type Mapping struct {
	// Proto is TCP or UDP.
	Proto Proto `json:"proto"`
	// HostIP is the host address the port answers on; the zero Addr
	// means every local address, 127.0.0.1 included.
	HostIP netip.Addr `json:"host_ip,omitzero"`
	// HostPort is the published port; 0 asks Publish for any free one.
	HostPort uint16 `json:"host_port"`
	// ContainerIP and ContainerPort are where the packets go.
	ContainerIP   netip.Addr `json:"container_ip"`
	ContainerPort uint16     `json:"container_port"`
	// Owner names who published it (a container ID, say) for `ls` and
	// UnpublishOwner; it may be empty.
	Owner string `json:"owner,omitempty"`

	// Bridge and Subnet are filled in by Publish: the interface the host
	// routes ContainerIP through and that interface's subnet. They shape
	// the masquerade and forward rules, and are recorded so that
	// Unpublish deletes the very rules Publish added.
	Bridge string       `json:"bridge,omitempty"`
	Subnet netip.Prefix `json:"subnet,omitzero"`
}

// String formats m like `docker port`: "tcp 0.0.0.0:8080 -> 10.89.0.2:80".
func (m Mapping) String() string {
	return fmt.Sprintf("%s %s -> %s", m.Proto, m.hostAddr(),
		netip.AddrPortFrom(m.ContainerIP, m.ContainerPort))
}

// hostAddr is the published address, 0.0.0.0 standing for every one.
func (m Mapping) hostAddr() netip.AddrPort {
	ip := m.HostIP
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified()
	}
	return netip.AddrPortFrom(ip, m.HostPort)
}

// clashes reports whether m and o claim the same host port: the same
// protocol and port, on the same address or with either on every one.
func (m Mapping) clashes(o Mapping) bool {
	if m.Proto != o.Proto || m.HostPort != o.HostPort {
		return false
	}
	return !m.HostIP.IsValid() || !o.HostIP.IsValid() || m.HostIP == o.HostIP
}

// Validate checks a mapping before it is published. HostPort may be 0.
func (m Mapping) Validate() error {
	if _, err := ParseProto(string(m.Proto)); err != nil || m.Proto == "" {
		return fmt.Errorf("%w protocol %q: want tcp or udp", ErrInvalid, m.Proto)
	}
	if m.HostIP.IsValid() && (!m.HostIP.Is4() || m.HostIP.IsUnspecified()) {
		return fmt.Errorf("%w host address %s: want an IPv4 address, or none for all",
			ErrInvalid, m.HostIP)
	}
	if !m.ContainerIP.Is4() || m.ContainerIP.IsUnspecified() || m.ContainerIP.IsLoopback() {
		return fmt.Errorf("%w container address %s: want the container's IPv4 address",
			ErrInvalid, m.ContainerIP)
	}
	if m.ContainerPort == 0 {
		return fmt.Errorf("%w container port 0: want 1 to 65535", ErrInvalid)
	}
	if strings.ContainsAny(m.Owner, "\"\n\\") || len(m.Owner) > 64 {
		return fmt.Errorf("%w owner %q: at most 64 characters, no quotes", ErrInvalid, m.Owner)
	}
	return nil
}

// Parse reads a port spec in the form of `docker run -p` and returns the
// mappings it asks for, to containerIP:
//
//	80                      any free host port -> 80/tcp
//	8080:80                 8080 -> 80
//	8080-8082:80-82/udp     a range, port by port
//	127.0.0.1:8080:80       on one host address only
//	127.0.0.1::80           any free port on that address
//
// A host port of 0 in the result means "any free port"; Publish picks it.
func Parse(spec string, containerIP netip.Addr) ([]Mapping, error) {
	rest, protoStr, slash := strings.Cut(spec, "/")
	proto, err := ParseProto(protoStr)
	if err == nil && slash && protoStr == "" {
		err = fmt.Errorf("%w: empty protocol after /", ErrInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("port spec %q: %w", spec, err)
	}
	var hostIP, hostPorts, ctrPorts string
	switch parts := strings.Split(rest, ":"); len(parts) {
	case 1:
		ctrPorts = parts[0]
	case 2:
		hostPorts, ctrPorts = parts[0], parts[1]
	case 3:
		hostIP, hostPorts, ctrPorts = parts[0], parts[1], parts[2]
	default:
		return nil, fmt.Errorf("%w port spec %q: want [HOSTIP:][HOSTPORT:]PORT[/PROTO]",
			ErrInvalid, spec)
	}

	m := Mapping{Proto: proto, ContainerIP: containerIP}
	if hostIP != "" {
		if m.HostIP, err = netip.ParseAddr(hostIP); err != nil {
			return nil, fmt.Errorf("%w host address in %q", ErrInvalid, spec)
		}
	}
	cFirst, cLast, err := parseRange(ctrPorts)
	if err != nil {
		return nil, fmt.Errorf("port spec %q: container %w", spec, err)
	}
	hFirst, hLast := uint16(0), uint16(0)
	if hostPorts != "" {
		if hFirst, hLast, err = parseRange(hostPorts); err != nil {
			return nil, fmt.Errorf("port spec %q: host %w", spec, err)
		}
		if hLast-hFirst != cLast-cFirst {
			return nil, fmt.Errorf("%w port spec %q: host and container ranges differ in size",
				ErrInvalid, spec)
		}
	}
	return expand(m, hFirst, cFirst, cLast)
}

// expand makes one mapping per port of the container range.
func expand(m Mapping, hFirst, cFirst, cLast uint16) ([]Mapping, error) {
	var out []Mapping
	for i := 0; i <= int(cLast-cFirst); i++ {
		m.ContainerPort = cFirst + uint16(i)
		m.HostPort = 0
		if hFirst != 0 {
			m.HostPort = hFirst + uint16(i)
		}
		if err := m.Validate(); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// parseRange reads "80" or "8080-8090", each port 1 to 65535.
func parseRange(s string) (first, last uint16, err error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if first, err = parsePort(lo); err != nil {
		return 0, 0, err
	}
	last = first
	if isRange {
		if last, err = parsePort(hi); err != nil {
			return 0, 0, err
		}
		if last < first {
			return 0, 0, fmt.Errorf("%w port range %q: the end comes before the start",
				ErrInvalid, s)
		}
	}
	return first, last, nil
}

// parsePort reads one port number, 1 to 65535.
func parsePort(s string) (uint16, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%w port %q: want 1 to 65535", ErrInvalid, s)
	}
	return uint16(n), nil
}
