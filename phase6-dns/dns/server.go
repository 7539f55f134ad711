package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"syscall"

	"github.com/miekg/dns"
	"golang.org/x/sys/unix"
)

// Server answers DNS over UDP and TCP on any number of addresses, with
// one Handler. Its zero value serves nothing until Listen is called; it
// is safe for concurrent use.
type Server struct {
	// Handler answers every query.
	Handler dns.Handler

	mu        sync.Mutex
	listeners map[netip.AddrPort]*listener
}

// listener is the servers on one address: one per UDP socket, and
// miekg/dns's server over TCP for answers too large for a datagram.
type listener struct {
	udp []*udpServer
	tcp *dns.Server
	// done receives the TCP server's end.
	done chan error
}

// Listen starts serving on addr ("IP:PORT") over UDP and TCP and
// returns the address bound. Port 0 picks a port free for both
// protocols, which tests use.
//
// Over UDP it opens one socket per CPU on the same port, with
// SO_REUSEPORT (socket(7)): the kernel spreads the clients over them,
// so that several CPUs read queries at once instead of one, each
// socket served by its own workers (see udpServer). Over TCP one
// listener is enough, since each connection gets its own goroutine
// anyway.
func (s *Server) Listen(addr string) (netip.AddrPort, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("listen %s: %w %w", addr, ErrInvalid, err)
	}
	pcs, ln, err := bind(ap, runtime.GOMAXPROCS(0))
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("listen %s: %w", addr, err)
	}
	l := &listener{tcp: &dns.Server{Listener: ln, Handler: s.Handler}, done: make(chan error, 1)}
	if err := l.start(); err != nil {
		for _, pc := range pcs {
			pc.Close()
		}
		return netip.AddrPort{}, fmt.Errorf("listen %s: %w", addr, err)
	}
	for _, pc := range pcs {
		l.udp = append(l.udp, serveUDP(pc, s.Handler))
	}

	bound := pcs[0].LocalAddr().(*net.UDPAddr).AddrPort()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listeners == nil {
		s.listeners = map[netip.AddrPort]*listener{}
	}
	s.listeners[bound] = l
	return bound, nil
}

// start runs the TCP server of l and waits until it has started:
// Shutdown fails on a server that has not, so nobody may call it
// before.
func (l *listener) start() error {
	started := make(chan struct{}, 1)
	l.tcp.NotifyStartedFunc = func() { started <- struct{}{} }
	go func() { l.done <- l.tcp.ActivateAndServe() }()
	select {
	case <-started:
		return nil
	case err := <-l.done:
		l.tcp.Listener.Close()
		return err
	}
}

// bind opens n UDP sockets and a TCP listener on the same address. With
// port 0 the kernel picks the port of the first UDP socket; the TCP one
// may then be taken, so it tries a few times.
func bind(ap netip.AddrPort, n int) ([]*net.UDPConn, net.Listener, error) {
	lc := net.ListenConfig{Control: reusePort}
	ctx := context.Background()
	var err error
	for range 10 {
		var first net.PacketConn
		if first, err = lc.ListenPacket(ctx, "udp", ap.String()); err != nil {
			return nil, nil, err
		}
		pcs := []*net.UDPConn{first.(*net.UDPConn)}
		port := first.LocalAddr().(*net.UDPAddr).AddrPort()
		var ln net.Listener
		if ln, err = net.Listen("tcp", port.String()); err == nil {
			for len(pcs) < n && err == nil {
				var pc net.PacketConn
				if pc, err = lc.ListenPacket(ctx, "udp", port.String()); err == nil {
					pcs = append(pcs, pc.(*net.UDPConn))
				}
			}
			if err == nil && ap.Addr().IsUnspecified() {
				// A wildcard socket must learn where each query went,
				// to answer from there: see receiveDestination.
				for _, pc := range pcs {
					err = errors.Join(err, receiveDestination(pc))
				}
			}
			if err == nil {
				return pcs, ln, nil
			}
			ln.Close()
		}
		for _, pc := range pcs {
			pc.Close()
		}
		if ap.Port() != 0 {
			break
		}
	}
	return nil, nil, err
}

// reusePort sets SO_REUSEPORT on a socket before it is bound, which
// lets further sockets of this process bind the same address.
func reusePort(network, address string, c syscall.RawConn) error {
	var sockErr error
	err := c.Control(func(fd uintptr) {
		sockErr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
	})
	return errors.Join(err, sockErr)
}

// Addrs returns the addresses the server listens on.
func (s *Server) Addrs() []netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	var addrs []netip.AddrPort
	for ap := range s.listeners {
		addrs = append(addrs, ap)
	}
	return addrs
}

// Unlisten stops serving on addr, as Listen returned it.
func (s *Server) Unlisten(addr netip.AddrPort) error {
	s.mu.Lock()
	l, ok := s.listeners[addr]
	delete(s.listeners, addr)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("unlisten %s: %w", addr, ErrNotFound)
	}
	return l.close()
}

// Close stops serving on every address.
func (s *Server) Close() error {
	s.mu.Lock()
	list := s.listeners
	s.listeners = nil
	s.mu.Unlock()
	var errs []error
	for _, l := range list {
		errs = append(errs, l.close())
	}
	return errors.Join(errs...)
}

// close shuts every server of l down and waits for them to end.
func (l *listener) close() error {
	errs := []error{l.tcp.Shutdown()}
	for _, u := range l.udp {
		errs = append(errs, u.close())
	}
	errs = append(errs, <-l.done)
	return errors.Join(errs...)
}
