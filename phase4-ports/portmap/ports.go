package portmap

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// checkFree refuses a host port that a recorded mapping or a socket of
// the host already holds. A DNAT rule would shadow such a socket without
// a word, so it is better to say so now.
func checkFree(m Mapping, published []Mapping) error {
	for _, p := range published {
		if m.clashes(p) {
			return fmt.Errorf("%w: %s/%d is published to %s", ErrPortTaken,
				m.Proto, m.HostPort, netip.AddrPortFrom(p.ContainerIP, p.ContainerPort))
		}
	}
	return probe(m)
}

// probe binds the host port for a moment, as the kernel would refuse a
// port that a process has bound (EADDRINUSE), or an address that is not
// the host's own (EADDRNOTAVAIL).
func probe(m Mapping) error {
	addr := m.hostAddr().String()
	var err error // bind, then close at once
	switch m.Proto {
	case TCP:
		var l net.Listener
		if l, err = net.Listen("tcp4", addr); err == nil {
			l.Close()
		}
	case UDP:
		var c net.PacketConn
		if c, err = net.ListenPacket("udp4", addr); err == nil {
			c.Close()
		}
	}
	return bindError(m, err)
}

// bindError explains why binding m's host address failed, if it did.
func bindError(m Mapping, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EADDRNOTAVAIL):
		return fmt.Errorf("%w host address %s: not an address of this host", ErrInvalid, m.HostIP)
	}
	return fmt.Errorf("%w: %s/%s: %w", ErrPortTaken, m.Proto, m.hostAddr(), err)
}

// freePort asks the kernel for a port of its ephemeral range that no
// socket holds (bind to port 0) and that no mapping holds either.
func freePort(m Mapping, published []Mapping) (uint16, error) {
	for range 20 {
		var port int
		switch m.Proto {
		case TCP:
			l, err := net.Listen("tcp4", m.hostAddr().String())
			if err != nil {
				return 0, bindError(m, err)
			}
			port = l.Addr().(*net.TCPAddr).Port
			l.Close()
		case UDP:
			c, err := net.ListenPacket("udp4", m.hostAddr().String())
			if err != nil {
				return 0, bindError(m, err)
			}
			port = c.LocalAddr().(*net.UDPAddr).Port
			c.Close()
		}
		m.HostPort = uint16(port)
		if checkFree(m, published) == nil {
			return m.HostPort, nil
		}
	}
	return 0, fmt.Errorf("%w: no free %s port found", ErrPortTaken, m.Proto)
}

// forgetFlows deletes the conntrack entries of a UDP mapping (`conntrack
// -D -p udp --orig-port-dst HOSTPORT --reply-src CONTAINER`). UDP has no
// end of connection, so without this a client that keeps its source port
// would go on reaching the container through the old entry. TCP
// connections already open are left to finish, as Docker leaves them.
func forgetFlows(m Mapping) {
	if m.Proto != UDP {
		return
	}
	f := &netlink.ConntrackFilter{}
	if f.AddProtocol(unix.IPPROTO_UDP) != nil ||
		f.AddPort(netlink.ConntrackOrigDstPort, m.HostPort) != nil ||
		f.AddIP(netlink.ConntrackReplySrcIP, m.ContainerIP.AsSlice()) != nil {
		return
	}
	// Best effort: a failure only delays the end of old flows.
	netlink.ConntrackDeleteFilters(netlink.ConntrackTable, unix.AF_INET, f)
}
