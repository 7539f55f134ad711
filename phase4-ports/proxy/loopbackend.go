package proxy

import (
	"bufio"
	"net"
	"net/netip"
	"os"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// loopBackend is a keep-alive connection from an event loop to a
// backend. Each loop keeps its own idle ones, so no lock is taken to
// get or return one.
type loopBackend struct {
	sock
	bw         *bufio.Writer // request heads are written through it
	b          *backend
	client     *loopClient // whose exchange it serves; nil while idle
	connecting bool        // connect(2) is under way
	reused     bool        // it served a request before this one
}

// dial starts a connection to b, a backend given by IP. The connect is
// non-blocking: the connection is returned at once, connecting, and
// ready reports when it is done.
func (l *eventLoop) dial(b *backend) (*loopBackend, error) {
	sa := sockaddr(b.ip)
	family := unix.AF_INET
	if _, ok := sa.(*unix.SockaddrInet6); ok {
		family = unix.AF_INET6
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, dialError(b, os.NewSyscallError("socket", err))
	}
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	// Keep-alive probes after 30 s of silence, as net.Dialer's KeepAlive
	// on the goroutine path.
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1)
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, 30)
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, 30)

	err = unix.Connect(fd, sa)
	if err != nil && err != unix.EINPROGRESS {
		unix.Close(fd)
		return nil, dialError(b, os.NewSyscallError("connect", err))
	}
	bk := &loopBackend{b: b, connecting: err != nil,
		sock: sock{l: l, fd: fd, in: make([]byte, backendReadBuffer)}}
	bk.bw = bufio.NewWriterSize(bk, backendWriteBuffer)
	if bk.connecting {
		bk.until = l.now.Add(time.Duration(l.f.timeouts.Connect))
	}
	if !l.add(fd, bk) {
		unix.Close(fd)
		return nil, dialError(b, os.NewSyscallError("epoll_ctl", unix.EBADF))
	}
	return bk, nil
}

// dialError is err as net.Dial would return it.
func dialError(b *backend, err error) error {
	return &net.OpError{Op: "dial", Net: "tcp", Addr: addrOf(b.addr), Err: err}
}

type addrOf string

func (a addrOf) Network() string { return "tcp" }
func (a addrOf) String() string  { return string(a) }

// sockaddr is ap's address for connect(2). The loops dial only
// backends given by IP (connect hands the others on).
func sockaddr(ap netip.AddrPort) unix.Sockaddr {
	if ip := ap.Addr().Unmap(); ip.Is4() {
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ip.As4()}
	}
	return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()}
}

func (bk *loopBackend) due() time.Time { return bk.until }

func (bk *loopBackend) ready(events uint32) {
	bk.readable(events)
	c := bk.client
	switch {
	case c == nil:
		bk.idleEvent(events)
	case bk.connecting:
		err := connectResult(bk.fd)
		if err == errAgain {
			return
		}
		bk.connecting, bk.until = false, time.Time{}
		if err != nil {
			c.connectFailed(dialError(bk.b, err))
			return
		}
		c.send()
	case events&unix.EPOLLOUT != 0 && len(bk.queue) > 0 && !bk.flush():
		if bk.err != nil {
			c.backendFailed(bk.err)
		}
	case events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0:
		c.fromBackend()
	}
}

// idleEvent handles an event on an idle connection: the backend closed
// it, or says something it was not asked, and either way it cannot
// serve again. But epoll may also report bytes that were read already,
// so only a read tells.
func (bk *loopBackend) idleEvent(events uint32) {
	if events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) == 0 {
		return
	}
	if bk.fill() != errAgain {
		bk.close()
	}
}

// connectResult is how a non-blocking connect ended: nil, an error, or
// errAgain while it is still under way.
func connectResult(fd int) error {
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	switch {
	case err != nil:
		return os.NewSyscallError("getsockopt", err)
	case v != 0:
		return os.NewSyscallError("connect", syscall.Errno(v))
	}
	if _, err := unix.Getpeername(fd); err != nil {
		return errAgain // not connected yet: the event was for something else
	}
	return nil
}

// expire handles a backend that kept the proxy waiting: too long idle,
// connecting, answering, or sending the body.
func (bk *loopBackend) expire() {
	c := bk.client
	switch {
	case c == nil:
		bk.close()
	case bk.connecting:
		c.connectFailed(dialError(bk.b, os.ErrDeadlineExceeded))
	case c.step == awaitAnswer:
		c.backendFailed(os.ErrDeadlineExceeded)
	default:
		c.abort(os.ErrDeadlineExceeded)
	}
}

func (bk *loopBackend) close() {
	if bk.fd < 0 {
		return
	}
	l := bk.l
	if list := l.idle[bk.b]; bk.client == nil && slices.Contains(list, bk) {
		l.idle[bk.b] = slices.DeleteFunc(list, func(x *loopBackend) bool { return x == bk })
		if len(l.idle[bk.b]) == 0 {
			delete(l.idle, bk.b)
		}
	}
	l.forget(bk.fd)
	unix.Close(bk.fd)
	bk.fd = -1
}

// takeIdle returns the newest idle connection to b, or nil.
func (l *eventLoop) takeIdle(b *backend) *loopBackend {
	list := l.idle[b]
	if len(list) == 0 {
		return nil
	}
	bk := list[len(list)-1]
	if l.idle[b] = list[:len(list)-1]; len(list) == 1 {
		delete(l.idle, b)
	}
	bk.until = time.Time{}
	return bk
}

// putIdle keeps bk, a connection to b that answered in full, for the
// next request to b, for at most the idle timeout.
func (l *eventLoop) putIdle(b *backend, bk *loopBackend) {
	if len(l.idle[b]) >= maxIdlePerBackend {
		bk.close()
		return
	}
	bk.reused = true
	bk.r, bk.w = 0, 0
	bk.until = l.now.Add(time.Duration(l.f.timeouts.Idle))
	l.idle[b] = append(l.idle[b], bk)
}

// closeDraining closes the idle connections to backends that were taken
// out of their pool.
func (l *eventLoop) closeDraining() {
	for b, list := range l.idle {
		if b.draining.Load() {
			for _, bk := range slices.Clone(list) {
				bk.close()
			}
		}
	}
}

// connectFailed handles a dial that failed once under way: the next
// backend is tried, as for a dial that fails at once, except for the
// second try of a request (backendFailed), which ends in an error.
func (c *loopClient) connectFailed(err error) {
	b, bk := c.b, c.bk
	c.b, c.bk, bk.client = nil, nil, nil
	bk.close()
	c.dialFailed(b, err)
	if c.retried {
		c.answerError(err)
		return
	}
	c.connect()
}
