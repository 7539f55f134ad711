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

// listener is the miekg/dns servers on one address: several over UDP,
// one over TCP for answers too large for a datagram.
type listener struct {
	servers []*dns.Server
	done    chan error
}

// Listen starts serving on addr ("IP:PORT") over UDP and TCP and
// returns the address bound. Port 0 picks a port free for both
// protocols, which tests use.
//
// Over UDP it opens one socket per CPU on the same port, with
// SO_REUSEPORT (socket(7)): the kernel spreads the clients over them,
// so that several goroutines read queries at once instead of one. Over
// TCP one listener is enough, since each connection gets its own
// goroutine anyway.
func (s *Server) Listen(addr string) (netip.AddrPort, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("listen %s: %w %w", addr, ErrInvalid, err)
	}
	pcs, ln, err := bind(ap, runtime.GOMAXPROCS(0))
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("listen %s: %w", addr, err)
	}
	l := &listener{done: make(chan error, len(pcs)+1)}
	for _, pc := range pcs {
		l.servers = append(l.servers, &dns.Server{PacketConn: pc, Handler: s.Handler,
			UDPSize: MaxUDPSize})
	}
	l.servers = append(l.servers, &dns.Server{Listener: ln, Handler: s.Handler})
	if err := l.start(); err != nil {
		return netip.AddrPort{}, fmt.Errorf("listen %s: %w", addr, err)
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

// start runs every server of l and waits until all have started:
// Shutdown fails on a server that has not, so nobody may call it
// before.
func (l *listener) start() error {
	started := make(chan struct{}, len(l.servers))
	for _, srv := range l.servers {
		srv.NotifyStartedFunc = func() { started <- struct{}{} }
		go func() { l.done <- srv.ActivateAndServe() }()
	}
	for range l.servers {
		select {
		case <-started:
		case err := <-l.done:
			for _, srv := range l.servers {
				closeSocket(srv)
			}
			return err
		}
	}
	return nil
}

// bind opens n UDP sockets and a TCP listener on the same address. With
// port 0 the kernel picks the port of the first UDP socket; the TCP one
// may then be taken, so it tries a few times.
func bind(ap netip.AddrPort, n int) ([]net.PacketConn, net.Listener, error) {
	lc := net.ListenConfig{Control: reusePort}
	ctx := context.Background()
	var err error
	for range 10 {
		var first net.PacketConn
		if first, err = lc.ListenPacket(ctx, "udp", ap.String()); err != nil {
			return nil, nil, err
		}
		pcs := []net.PacketConn{first}
		port := first.LocalAddr().(*net.UDPAddr).AddrPort()
		var ln net.Listener
		if ln, err = net.Listen("tcp", port.String()); err == nil {
			for len(pcs) < n && err == nil {
				var pc net.PacketConn
				if pc, err = lc.ListenPacket(ctx, "udp", port.String()); err == nil {
					pcs = append(pcs, pc)
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

func closeSocket(srv *dns.Server) {
	if srv.PacketConn != nil {
		srv.PacketConn.Close()
	}
	if srv.Listener != nil {
		srv.Listener.Close()
	}
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

// close shuts every server of l down and waits for their loops to end.
func (l *listener) close() error {
	var errs []error
	for _, srv := range l.servers {
		errs = append(errs, srv.Shutdown())
	}
	for range l.servers {
		<-l.done
	}
	return errors.Join(errs...)
}
