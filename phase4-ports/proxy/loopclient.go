package proxy

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// loopClient is a client connection served by an event loop, with the
// exchange it has under way. Where the goroutine path (fastexchange.go)
// would wait, a loopClient returns to its loop, and goes on from the
// same step when epoll reports that the socket it waits for is ready.
type loopClient struct {
	sock
	bw     *bufio.Writer // heads for the client are written through it
	ip     string        // the client's IP, for X-Forwarded-For
	remote string        // its address, for the access log
	step   clientStep

	// The exchange under way.
	req      request // its slices point into in, which holds still meanwhile
	ro       *route
	pool     *Pool
	tries    int      // backends tried
	last     *backend // the one tried last, skipped by the next pick
	lastErr  error    // why the last one failed
	rerouted bool     // the pool was removed and the route read again
	retried  bool     // sent again after a pooled connection was found closed
	b        *backend
	bk       *loopBackend
	res      response // its slices point into bk.in
	body     bodyFrame
	closing  bool    // the connection ends after this answer
	acc      *Access // the access log's record, if there is a log
	start    time.Time
}

// clientStep is where a client connection is.
type clientStep uint8

const (
	awaitRequest clientStep = iota // reading a request head
	awaitAnswer                    // a backend has the request, or is being connected to
	relayBody                      // passing the answer's body on
	sendRest                       // the answer is done, the socket has yet to take all of it
)

// Client buffers, as on the goroutine path: a head must fit in the read
// buffer, or net/http serves the request.
const clientBuffer = 4 << 10

func (l *eventLoop) newClient(fd int, sa unix.Sockaddr) *loopClient {
	var c *loopClient
	if n := len(l.free); n > 0 {
		c, l.free = l.free[n-1], l.free[:n-1]
	} else {
		c = &loopClient{}
		c.in = make([]byte, clientBuffer)
		c.bw = bufio.NewWriterSize(c, clientBuffer)
	}
	c.sock = sock{l: l, fd: fd, in: c.in, queue: c.queue[:0]}
	c.bw.Reset(c)
	c.step = awaitRequest
	c.remote = sockAddr(sa)
	c.ip, _, _ = net.SplitHostPort(c.remote)
	c.until = l.now.Add(time.Duration(l.f.timeouts.Idle))
	l.clients.Add(1)
	return c
}

// idle reports whether c waits for a request that has not begun.
func (c *loopClient) idle() bool { return c.step == awaitRequest && c.r == c.w }

func (c *loopClient) due() time.Time { return c.until }

func (c *loopClient) ready(events uint32) {
	c.readable(events)
	if events&unix.EPOLLOUT != 0 && len(c.queue) > 0 {
		if !c.flush() {
			if c.err != nil {
				c.abort(c.err)
			}
			return
		}
		c.until = time.Time{}
		switch c.step {
		case relayBody:
			c.relay()
			return
		case sendRest:
			c.next()
			return
		}
	}
	if events&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 &&
		c.step == awaitRequest {
		c.read()
	}
}

// expire ends a connection that kept the proxy waiting: for a request,
// or for taking the answer. While a backend has the request, the
// backend's time runs, not the client's.
func (c *loopClient) expire() {
	if c.step == awaitRequest || c.step == sendRest {
		c.close()
		return
	}
	c.abort(os.ErrDeadlineExceeded)
}

// read reads requests and serves them, until the socket has nothing
// more to read or an exchange has to wait.
func (c *loopClient) read() {
	t := c.l.f.timeouts
	for c.step == awaitRequest && c.fd >= 0 {
		if c.r == c.w && c.l.f.closing.Load() {
			c.close() // shutting down: no new request
			return
		}
		if c.r < c.w {
			err := c.req.head.parse(c.buffered())
			if err == nil {
				c.serve()
				continue
			}
			if err != errIncomplete || c.full() {
				c.toNetHTTP() // unusual, or a head too large for the buffer
				return
			}
		}
		switch err := c.fill(); {
		case err == errAgain:
			if c.r == c.w {
				c.until = c.l.now.Add(time.Duration(t.Idle))
			} else {
				c.until = c.l.now.Add(time.Duration(t.ClientHeader))
			}
			return
		case err != nil:
			c.close()
			return
		}
	}
}

// serve starts the exchange of the request whose head is parsed in
// c.req, or hands the connection to the path that serves such requests.
func (c *loopClient) serve() {
	f := c.l.f
	err := c.req.parse()
	var ro *route
	if err == nil {
		if ro = f.router.match(c.req.host, c.req.path); ro == nil {
			err = errUnusual // net/http answers 404
		}
	}
	switch {
	case err != nil:
		c.toNetHTTP()
		return
	case c.req.hasBody():
		c.toGoroutine()
		return
	}
	c.until = time.Time{}
	c.step, c.ro, c.pool = awaitAnswer, ro, ro.pool
	c.tries, c.last, c.lastErr, c.rerouted, c.retried = 0, nil, nil, false, false
	c.acc = nil
	if f.router.log != nil {
		c.start = time.Now()
		c.acc = &Access{Frontend: f.router.frontend, Remote: c.remote,
			Method: string(c.req.start[0]), Host: string(c.req.host), Path: string(c.req.path)}
	}
	c.connect()
}

// connect picks a backend of the pool and gets a connection to it: an
// idle one if the loop has one, else a new one. A backend given by host
// name sends the connection to the goroutine path. A backend whose dial
// fails counts a failure and the next is tried, as httpFrontend.connect
// does on the goroutine path. A dial that is under way goes on in
// loopBackend.ready, which comes back here if it fails.
func (c *loopClient) connect() {
	for {
		for c.tries < maxTries {
			b := c.pool.pick(c.last)
			if b == nil {
				break
			}
			if !b.ip.IsValid() {
				// A backend given by host name: the loop would stop for
				// the lookup, with every connection it serves. The
				// goroutine path waits for it in a goroutine instead.
				c.pool.unpick(b)
				c.toGoroutine()
				return
			}
			c.tries++
			c.last = b
			bk := c.l.takeIdle(b)
			if bk == nil {
				var err error
				if bk, err = c.l.dial(b); err != nil {
					c.dialFailed(b, err)
					continue
				}
			}
			c.use(b, bk)
			return
		}
		if c.rerouted {
			break
		}
		// The pool may have been removed after the route table was read.
		c.rerouted = true
		p := c.l.f.router.reroute(c.pool, c.req.host, c.req.path)
		if p == nil {
			break
		}
		c.pool, c.tries, c.last = p, 0, nil
	}
	err := c.lastErr
	if err == nil {
		err = ErrNoBackend
	}
	c.answerError(err)
}

// dialFailed counts a failed dial of b.
func (c *loopClient) dialFailed(b *backend, err error) {
	done(b)
	b.failed(c.pool.cfg.MaxFails, time.Duration(c.pool.cfg.FailTimeout))
	c.lastErr = err
}

// use sends the request over bk, a connection to b, once it is
// connected.
func (c *loopClient) use(b *backend, bk *loopBackend) {
	c.b, c.bk, bk.client = b, bk, c
	if c.acc != nil {
		c.acc.Pool, c.acc.Backend = c.pool.Name(), b.addr
	}
	if !bk.connecting {
		c.send()
	}
}

// send writes the request head to the backend. The request stays in
// the client's buffer until the answer comes, so that it can be sent
// again.
func (c *loopClient) send() {
	bk := c.bk
	c.req.writeHead(bk.bw, c.ip, c.l.f.router.proto)
	if err := bk.bw.Flush(); err != nil {
		c.backendFailed(err)
		return
	}
	bk.until = c.l.now.Add(time.Duration(c.l.f.timeouts.BackendHeader))
}

// fromBackend goes on with what the backend sent.
func (c *loopClient) fromBackend() {
	switch c.step {
	case awaitAnswer:
		c.readHead()
	case relayBody:
		c.relay()
	}
}

// readHead reads the head of the backend's answer, passes any 1xx
// interim answer on, then the final head, and starts relaying the body.
func (c *loopClient) readHead() {
	bk, res := c.bk, &c.res
	for {
		err := res.head.parse(bk.buffered())
		if err == errIncomplete {
			if bk.full() {
				c.backendFailed(errHeadTooLarge)
				return
			}
			if err = bk.fill(); err == errAgain {
				return
			}
			if err != nil {
				c.backendFailed(err)
				return
			}
			continue
		}
		if err == nil {
			err = res.parse()
		}
		if err == nil && res.code == 101 {
			err = errMalformed // no Upgrade was asked for on this path
		}
		if err != nil {
			c.backendFailed(err)
			return
		}
		if res.code >= 200 {
			break
		}
		res.writeHead(c.bw, false, nil) // 103 Early Hints, say
		bk.r += res.size
		if c.bw.Flush() != nil {
			c.abort(c.err)
			return
		}
	}

	c.b.succeeded()
	c.r += c.req.size // the request is done with
	bk.until = time.Time{}
	c.closing = c.req.close || res.closeDelimited(&c.req)
	res.writeHead(c.bw, c.closing, c.ro)
	bk.r += res.size
	c.body = frameOf(&c.req, res)
	if c.acc != nil {
		c.acc.Status = res.code
	}
	c.step = relayBody
	c.relay()
}

// relay passes the body on from the backend's buffer to the client,
// reading more from the backend while the client takes what it is
// given. When the client's socket is full it waits for it (ready), and
// so does not read faster than the client takes.
func (c *loopClient) relay() {
	bk, idle := c.bk, time.Duration(c.l.f.timeouts.Idle)
	for {
		n, end, err := c.body.take(bk.buffered())
		if err != nil {
			c.abort(err)
			return
		}
		if n > 0 {
			c.bw.Write(bk.in[bk.r : bk.r+n])
			bk.r += n
		}
		if c.bw.Flush() != nil {
			c.abort(c.err)
			return
		}
		if end {
			c.answered()
			return
		}
		if len(c.queue) > 0 {
			c.until, bk.until = c.l.now.Add(idle), time.Time{}
			return
		}
		if bk.full() {
			c.abort(errMalformed) // a chunk line longer than the buffer
			return
		}
		switch err := bk.fill(); {
		case err == errAgain:
			c.until, bk.until = time.Time{}, c.l.now.Add(idle)
			return
		case err == io.EOF && c.body.kind == untilClose:
			c.answered()
			return
		case err != nil:
			c.abort(noEOF(err))
			return
		}
	}
}

// answered ends an exchange whose answer went out whole: the backend
// connection goes back to the loop's pool if it can serve again, and
// the client goes on to its next request.
func (c *loopClient) answered() {
	b, bk := c.b, c.bk
	c.b, c.bk, bk.client = nil, nil, nil
	// Reused only if nothing is left over on either side: no bytes after
	// the answer, none of the request still to send, no end of stream.
	if c.res.reuse && c.body.kind != untilClose && bk.r == bk.w && len(bk.queue) == 0 &&
		!bk.hup && !b.draining.Load() {
		c.l.putIdle(b, bk)
	} else {
		bk.close()
	}
	done(b) // after the connection is back in the pool, for draining
	c.log(c.body.total, nil)
	c.next()
}

// next goes on to the next request once the socket took all the answer,
// or closes the connection if it was the last.
func (c *loopClient) next() {
	if len(c.queue) > 0 {
		c.step = sendRest
		c.until = c.l.now.Add(time.Duration(c.l.f.timeouts.Idle))
		return
	}
	if c.closing {
		c.close()
		return
	}
	c.step = awaitRequest
	c.read()
}

// backendFailed handles a backend connection that failed before the
// head of its answer came: a pooled connection the backend had closed
// gets the request again on a new one, once, as on the goroutine path;
// else the backend counts a failure and the client gets an error.
func (c *loopClient) backendFailed(err error) {
	b, bk := c.b, c.bk
	nothing := bk.r == bk.w
	c.bk, bk.client = nil, nil
	bk.close()
	if bk.reused && nothing && c.req.replayable() && !c.retried && !isTimeout(err) {
		c.retried = true
		nbk, derr := c.l.dial(b)
		if derr == nil {
			c.use(b, nbk)
			return
		}
		err = derr
	}
	c.b = nil
	b.failed(c.pool.cfg.MaxFails, time.Duration(c.pool.cfg.FailTimeout))
	done(b)
	c.answerError(err)
}

// answerError answers the client with the status for err (statusFor)
// and no body.
func (c *loopClient) answerError(err error) {
	c.r += c.req.size
	c.closing = c.req.close
	status := statusFor(err)
	writeErrorAnswer(c.bw, status, c.closing)
	if c.acc != nil {
		c.acc.Status = status
	}
	if c.bw.Flush() != nil {
		c.close()
		return
	}
	c.log(0, err)
	c.next()
}

// abort ends an exchange that failed while the answer was under way:
// both connections are closed, the client's with its answer cut short.
func (c *loopClient) abort(err error) {
	c.log(c.body.total, err)
	c.close()
}

// log reports the exchange to the access log, if there is one.
func (c *loopClient) log(n int64, err error) {
	if c.acc == nil {
		return
	}
	c.acc.Bytes, c.acc.Err = n, err
	c.acc.Duration = time.Since(c.start)
	c.l.f.router.log(*c.acc)
	c.acc = nil
}

// close closes the client connection and the backend connection of its
// exchange, if it has one.
func (c *loopClient) close() {
	if c.fd < 0 {
		return
	}
	if c.bk != nil {
		c.bk.client = nil
		c.bk.close()
		c.bk = nil
	}
	if c.b != nil {
		done(c.b)
		c.b = nil
	}
	c.l.forget(c.fd)
	unix.Close(c.fd)
	c.fd = -1
	c.l.clients.Add(-1)
	c.l.recycle(c)
}

// toNetHTTP hands the connection, with the bytes read from it, to
// net/http (handOver).
func (c *loopClient) toNetHTTP() {
	f := c.l.f // c is reused once detached
	c.detach(func(conn net.Conn, prefix []byte) {
		f.handOver(conn, bufio.NewReader(io.MultiReader(bytes.NewReader(prefix), conn)))
	})
}

// toGoroutine hands the connection, with the bytes read from it, to the
// goroutine path, which passes request bodies on.
func (c *loopClient) toGoroutine() {
	f := c.l.f // c is reused once detached
	c.detach(func(conn net.Conn, prefix []byte) { f.serve(conn, prefix) })
}

// detach takes the connection out of the loop and runs serve on it in a
// goroutine of its own, as a net.Conn, with the bytes read but not yet
// served.
func (c *loopClient) detach(serve func(net.Conn, []byte)) {
	l, fd := c.l, c.fd
	prefix := bytes.Clone(c.buffered())
	l.forget(fd)
	c.fd = -1
	file := os.NewFile(uintptr(fd), "client")
	conn, err := net.FileConn(file) // a copy of the descriptor, in Go's poller
	file.Close()
	if err == nil {
		// Counted by the frontend before the loop stops counting it, so
		// that shutdown never sees it in neither.
		l.f.wg.Go(func() { serve(conn, prefix) })
	}
	l.clients.Add(-1)
	l.recycle(c)
}
