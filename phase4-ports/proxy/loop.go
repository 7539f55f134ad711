package proxy

import (
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A plain-HTTP frontend serves its connections from event loops, the
// way nginx's workers do: one goroutine per CPU, each with an epoll set
// of its own, does every read and write on non-blocking sockets when
// the kernel reports them ready, and keeps the state of each exchange in
// a struct rather than on a goroutine's stack (loopclient.go).
//
// The goroutine-per-connection path (fastpath.go) reads the same way in
// spirit, but Go's net package tries each read before it asks the
// poller, and so makes two reads per request that answer EAGAIN; and the
// runtime's scheduler passes every wake-up from the poller to a
// goroutine. On a machine whose two CPUs are shared with the load
// generator and the backends, those costs made the difference between
// 0.8 and 1.07 times nginx's requests per second (docs/benchmarks.md).
//
// The loops take the plain HTTP/1.1 requests the goroutine path takes,
// when they have no body. A request with a body is handed, connection and all, to the
// goroutine path, and what that path leaves alone goes on to net/http,
// so every corner of the protocol still has its handler. HTTPS
// frontends stay on the goroutine path, which does the TLS.

// loopTick is how often a loop looks for connections whose time is up.
// Timeouts fire up to this late.
const loopTick = 10 * time.Millisecond

// What shutdown asks of the loops, in increasing order.
const (
	loopServe     int32 = iota
	loopCloseIdle       // stop accepting, close connections between requests
	loopCloseAll        // close every connection
	loopExit            // close everything and return
)

// eventLoop is one of a frontend's loops.
type eventLoop struct {
	f     *httpFrontend
	ep    int             // the epoll descriptor
	wake  int             // an eventfd: shutdown writes to it to be heard
	ln    syscall.RawConn // the frontend's listener, accepted from by every loop
	socks map[int]handler // every descriptor in ep but wake and the listener
	idle  map[*backend][]*loopBackend

	lnfd   int       // the listener's descriptor, for epoll
	paused time.Time // accepting stopped until then, after an error

	order   atomic.Int32 // loopServe, loopCloseIdle, ...
	clients atomic.Int64 // client connections open, for shutdown
	now     time.Time    // when epoll_wait last returned
	free    []*loopClient
}

// handler is what a loop holds for each descriptor.
type handler interface {
	// ready handles what epoll reported: EPOLLIN, EPOLLOUT and the rest.
	ready(events uint32)
	// due is when the handler's time is up; zero for never.
	due() time.Time
	// expire is called once due has passed.
	expire()
	// close closes the descriptor and drops every reference to it.
	close()
}

// loopGroup is the set of loops of one frontend.
type loopGroup struct {
	loops []*eventLoop
	done  sync.WaitGroup
}

// startLoops starts one loop per CPU on f's listener, or returns nil if
// the listener does not offer its descriptor (one that is not a
// socket); the frontend then serves on the goroutine path alone.
func startLoops(f *httpFrontend) (*loopGroup, error) {
	sc, ok := f.ln.(syscall.Conn)
	if !ok {
		return nil, nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	var lnfd int
	rc.Control(func(fd uintptr) { lnfd = int(fd) })

	g := &loopGroup{}
	for range loopsPerFrontend() {
		l, err := newEventLoop(f, rc, lnfd)
		if err != nil {
			g.stop()
			return nil, err
		}
		g.loops = append(g.loops, l)
		g.done.Go(l.run)
	}
	return g, nil
}

func newEventLoop(f *httpFrontend, ln syscall.RawConn, lnfd int) (*eventLoop, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	wake, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(ep)
		return nil, err
	}
	l := &eventLoop{f: f, ep: ep, wake: wake, ln: ln, lnfd: lnfd,
		socks: map[int]handler{}, idle: map[*backend][]*loopBackend{}}
	err = unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, wake, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wake)})
	if err == nil {
		err = l.listen()
	}
	if err != nil {
		unix.Close(wake)
		unix.Close(ep)
		return nil, err
	}
	return l, nil
}

// listen adds the listener to the loop's epoll set. Every loop waits on
// it; EPOLLEXCLUSIVE wakes one of them per new connection rather than
// all.
func (l *eventLoop) listen() error {
	return unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, l.lnfd,
		&unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLEXCLUSIVE, Fd: int32(l.lnfd)})
}

// tell asks every loop for order (see loopServe) and wakes them.
func (g *loopGroup) tell(order int32) {
	for _, l := range g.loops {
		if l.order.Load() < order {
			l.order.Store(order)
		}
		unix.Write(l.wake, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	}
}

// open counts the client connections the loops hold.
func (g *loopGroup) open() int {
	n := 0
	for _, l := range g.loops {
		n += int(l.clients.Load())
	}
	return n
}

// stop ends the loops and waits for them.
func (g *loopGroup) stop() {
	g.tell(loopExit)
	g.done.Wait()
}

// loopsPerFrontend is how many loops a frontend runs: one per P
// (GOMAXPROCS) the process had when its first frontend started. It then
// gives the runtime one P more than that, once, for this reason. A loop
// waiting in epoll_wait keeps its P, in a system call; when every loop
// waits at once, no P is idle, and the runtime's monitor thread (sysmon)
// takes the Ps back from the waiting loops, so that goroutines are not
// kept from running. It wakes every 20 µs while it finds such Ps, and
// each loop, once epoll_wait returns, must get a P back. With one P to
// spare, the monitor leaves waiting loops alone and sleeps up to 10 ms:
// a third fewer context switches in the benchmark, a tenth less CPU per
// request (docs/benchmarks.md). Setting GOMAXPROCS stops the runtime
// from changing it when the cgroup's CPU limit changes.
var loopsPerFrontend = sync.OnceValue(func() int {
	n := runtime.GOMAXPROCS(0)
	runtime.GOMAXPROCS(n + 1)
	return n
})

// run waits for events and hands them out until told to exit.
func (l *eventLoop) run() {
	// The loop's system calls then all come from one thread, and the
	// goroutine is not moved between threads when the runtime preempts it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer l.shut()

	events := make([]unix.EpollEvent, 128)
	lastSweep := time.Now()
	for {
		timeout := -1
		if len(l.socks) > 0 || !l.paused.IsZero() {
			timeout = int(loopTick / time.Millisecond)
		}
		n, err := unix.EpollWait(l.ep, events, timeout)
		if err != nil && err != unix.EINTR {
			return
		}
		l.now = time.Now()
		for _, ev := range events[:max(n, 0)] {
			switch fd := int(ev.Fd); {
			case fd == l.wake:
				var b [8]byte
				unix.Read(l.wake, b[:])
			case l.socks[fd] != nil:
				l.socks[fd].ready(ev.Events)
			default:
				l.accept()
			}
		}
		switch order := l.order.Load(); {
		case order == loopExit:
			return
		case order > loopServe:
			l.closeIdle(order == loopCloseAll)
		}
		if l.now.Sub(lastSweep) >= loopTick {
			lastSweep = l.now
			l.sweep()
		}
		if !l.paused.IsZero() && !l.now.Before(l.paused) && l.listen() == nil {
			l.paused = time.Time{}
		}
	}
}

// accept takes the connections waiting on the listener. The listener's
// own lock is held during each accept4 (RawConn.Control), so a listener
// closed by shutdown is never accepted from, nor its descriptor number
// reused under the loop's feet.
func (l *eventLoop) accept() {
	for l.order.Load() == loopServe {
		fd, sa := -1, unix.Sockaddr(nil)
		var err error
		cerr := l.ln.Control(func(lnfd uintptr) {
			fd, sa, err = unix.Accept4(int(lnfd), unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		})
		switch {
		case cerr != nil, err == unix.EAGAIN:
			return // the listener is closed; or the others were taken
		case err == unix.EINTR, err == unix.ECONNABORTED:
			continue
		case err != nil:
			// Out of descriptors, say. The listener stays readable, so
			// the loop stops waiting on it for a while rather than spin.
			unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, l.lnfd, nil)
			l.paused = l.now.Add(loopTick)
			return
		}
		unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		c := l.newClient(fd, sa)
		if !l.add(fd, c) {
			c.close()
		}
	}
}

// add registers fd with the loop, edge-triggered: epoll reports each
// time the socket becomes readable or writable, and the handler must
// read (or write) until EAGAIN before it waits again, or remember to.
func (l *eventLoop) add(fd int, h handler) bool {
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET,
		Fd: int32(fd)}
	if unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, fd, &ev) != nil {
		return false
	}
	l.socks[fd] = h
	return true
}

// forget takes fd out of the loop, before it is closed or handed on.
func (l *eventLoop) forget(fd int) {
	unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, fd, nil)
	delete(l.socks, fd)
}

// sweep expires the handlers whose time is up, and closes the idle
// connections to backends that drain.
func (l *eventLoop) sweep() {
	l.closeDraining()
	for _, h := range l.socks {
		if d := h.due(); !d.IsZero() && !l.now.Before(d) {
			h.expire()
		}
	}
}

// closeIdle closes the client connections that wait for a request, or
// all of them.
func (l *eventLoop) closeIdle(all bool) {
	for _, h := range l.socks {
		if c, ok := h.(*loopClient); ok && (all || c.idle()) {
			c.close()
		}
	}
}

// shut closes every descriptor of the loop.
func (l *eventLoop) shut() {
	for _, h := range l.socks {
		h.close()
	}
	for _, list := range l.idle {
		for _, bk := range list {
			bk.close()
		}
	}
	unix.Close(l.wake)
	unix.Close(l.ep)
}

// recycle keeps c, closed, for a connection to come, unless the loop
// keeps enough of them already.
func (l *eventLoop) recycle(c *loopClient) {
	if len(l.free) < maxFreeClients {
		l.free = append(l.free, c)
	}
}

// maxFreeClients bounds the closed client connections a loop keeps for
// their buffers.
const maxFreeClients = 256

// sock is what client and backend connections share: a non-blocking
// socket, its read buffer, and the bytes it could not send yet.
type sock struct {
	l     *eventLoop
	fd    int
	in    []byte // unread bytes are in[r:w]
	r, w  int
	queue []byte // written but not yet taken by the kernel
	until time.Time
	err   error // the first failed write, reported by flush

	// drained is set when a read left nothing behind in the socket: it
	// returned fewer bytes than it had room for, or EAGAIN. Bytes that
	// come after it make epoll report the socket again (ready clears
	// drained then), so until that a read would only find EAGAIN, and
	// fill does not make it. nginx saves the same read the same way.
	// Once the peer has closed its side (hup), a short read leaves the
	// end of the stream to read, and epoll reports no more: from then
	// on, only EAGAIN counts as drained.
	drained, hup bool
}

// errAgain means a read found nothing to read yet.
var errAgain = errors.New("nothing to read yet")

// fill reads once into the free end of in, first moving the unread
// bytes to the front if the end is full. It returns errAgain when
// nothing waits, io.EOF when the peer closed its side.
func (s *sock) fill() error {
	if s.drained {
		return errAgain
	}
	if s.w == len(s.in) && s.r > 0 {
		s.w = copy(s.in, s.in[s.r:s.w])
		s.r = 0
	}
	for {
		room := len(s.in) - s.w
		n, err := rawRead(s.fd, s.in[s.w:])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			s.drained = true
			return errAgain
		case err != nil:
			return err
		case n == 0:
			return io.EOF
		}
		s.w += n
		s.drained = n < room && !s.hup
		return nil
	}
}

// readable takes note of what epoll reported: after EPOLLIN and the
// rest, the socket has something new to read (or its end).
func (s *sock) readable(events uint32) {
	if events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		s.drained = false
	}
	if events&(unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		s.hup = true
	}
}

// full reports whether in has no room left.
func (s *sock) full() bool { return s.r == 0 && s.w == len(s.in) }

// buffered returns the unread bytes.
func (s *sock) buffered() []byte { return s.in[s.r:s.w] }

// Write sends p, or keeps what the socket does not take to send when it
// becomes writable again (flush). It never blocks, and fails only if an
// earlier write failed. It makes sock an io.Writer, for the bufio.Writer
// that heads are written through.
func (s *sock) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if len(s.queue) > 0 {
		s.queue = append(s.queue, p...)
		return len(p), nil
	}
	for sent := 0; sent < len(p); {
		n, err := rawWrite(s.fd, p[sent:])
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			s.queue = append(s.queue, p[sent:]...)
			return len(p), nil
		case err != nil:
			s.err = err
			return sent, err
		default:
			sent += n
		}
	}
	return len(p), nil
}

// flush sends what was queued, as far as the socket takes it. It
// returns whether the queue is empty.
func (s *sock) flush() bool {
	for len(s.queue) > 0 && s.err == nil {
		n, err := rawWrite(s.fd, s.queue)
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			return false
		case err != nil:
			s.err = err
		default:
			s.queue = s.queue[:copy(s.queue, s.queue[n:])]
		}
	}
	return len(s.queue) == 0
}

// sockAddr writes the address of a peer as net.Addr does.
func sockAddr(sa unix.Sockaddr) string {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
	case *unix.SockaddrInet6:
		return (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
	}
	return ""
}

// rawRead and rawWrite are read(2) and write(2) for the loops' sockets,
// which are non-blocking and so return at once. They are raw system
// calls: syscall.Read would tell the Go scheduler that the thread may
// block (entersyscall), and its monitor thread would wake more often to
// hand the loop's processor to another thread. The loops block only in
// epoll_wait, which is an ordinary system call.
func rawRead(fd int, p []byte) (int, error)  { return rawIO(unix.SYS_READ, fd, p) }
func rawWrite(fd int, p []byte) (int, error) { return rawIO(unix.SYS_WRITE, fd, p) }

// rawIO makes the system call trap (read or write) on fd with p.
func rawIO(trap uintptr, fd int, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, _, errno := unix.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
