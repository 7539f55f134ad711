package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// The fast path serves plain HTTP/1.1 requests itself, without net/http:
// one goroutine per client connection reads each request head in place
// (fasthead.go), sends it over a pooled keep-alive connection to a
// backend (conns.go) and copies the answer back (fastbody.go). Compared
// with httputil.ReverseProxy it builds no http.Request, Header map or
// URL per request, starts no goroutine per request and copies each byte
// once; this is what brings it to the level of nginx (see the benchmark
// in docs/plan/04-ports.md).
//
// Anything else (Upgrade and WebSocket, Expect: 100-continue, HTTP/1.0,
// HTTP/2, absolute or %-encoded targets, heads larger than the buffer,
// requests no route matches) is handed, connection and all, to net/http
// and the ReverseProxy of http.go, which handles every corner of the
// protocol.

// clientConn is one client connection on the fast path. It is reused
// from connection to connection, so are its buffers.
type clientConn struct {
	f    *httpFrontend
	raw  net.Conn // as accepted, for Shutdown to close
	c    net.Conn // raw, or its TLS layer on an HTTPS frontend
	br   *bufio.Reader
	bw   *bufio.Writer
	ip   string      // the client's IP, for X-Forwarded-For
	idle atomic.Bool // waiting for its next request; Shutdown may close it
	req  request
	res  response
}

var clientConns = sync.Pool{New: func() any {
	return &clientConn{br: bufio.NewReader(nil), bw: bufio.NewWriter(nil)}
}}

// serve runs the requests of connection c until it ends or is handed to
// net/http. prefix, if not nil, holds bytes already read from c, by an
// event loop that handed c over.
func (f *httpFrontend) serve(c net.Conn, prefix []byte) {
	cc := clientConns.Get().(*clientConn)
	cc.f, cc.raw = f, c
	cc.idle.Store(true)
	handed := false
	if f.hold(cc) {
		handed = cc.start(prefix)
		f.release(cc)
	}
	cc.f, cc.raw = nil, nil
	if !handed { // a handed connection keeps reading through cc.br
		if cc.c != nil {
			c = cc.c // over TLS, closing it also says close_notify
		}
		c.Close()
		cc.c = nil
		cc.br.Reset(nil)
		cc.bw.Reset(nil)
		clientConns.Put(cc)
	}
}

// start does the TLS handshake if the frontend has TLS, then serves the
// connection's requests, the first of them from prefix. It returns true
// if it handed the connection to net/http.
func (cc *clientConn) start(prefix []byte) bool {
	c, err := cc.f.handshake(cc.raw)
	if err != nil {
		return false
	}
	cc.c = c
	if prefix != nil {
		cc.br.Reset(io.MultiReader(bytes.NewReader(prefix), c))
	} else {
		cc.br.Reset(c)
	}
	cc.bw.Reset(c)
	cc.ip, _, _ = net.SplitHostPort(c.RemoteAddr().String())
	return cc.loop()
}

// loop serves requests one after the other. It returns true if it handed
// the connection to net/http.
func (cc *clientConn) loop() (handed bool) {
	t := cc.f.timeouts
	for {
		cc.idle.Store(true)
		if cc.f.closing.Load() {
			return false
		}
		cc.c.SetReadDeadline(time.Now().Add(time.Duration(t.Idle)))
		if _, err := cc.br.Peek(1); err != nil {
			return false
		}
		cc.idle.Store(false)

		err := readHead(cc.br, &cc.req.head, func() {
			cc.c.SetReadDeadline(time.Now().Add(time.Duration(t.ClientHeader)))
		})
		if err == nil {
			err = cc.req.parse()
		}
		var ro *route
		if err == nil {
			if ro = cc.f.router.match(cc.req.host, cc.req.path); ro == nil {
				err = errUnusual // net/http answers 404
			}
		}
		if errors.Is(err, errUnusual) || errors.Is(err, errHeadTooLarge) {
			cc.f.handOver(cc.c, cc.br)
			return true
		}
		if err != nil || !cc.proxy(ro) {
			return false
		}
	}
}

// proxy runs one exchange, and reports it to the access log if there is
// one. Without a log it builds no strings.
func (cc *clientConn) proxy(ro *route) bool {
	rt := cc.f.router
	if rt.log == nil {
		return cc.exchange(ro, nil)
	}
	start := time.Now()
	acc := Access{Frontend: rt.frontend, Remote: cc.c.RemoteAddr().String(),
		Method: string(cc.req.start[0]), Host: string(cc.req.host), Path: string(cc.req.path)}
	keep := cc.exchange(ro, &acc)
	acc.Duration = time.Since(start)
	rt.log(acc)
	return keep
}
