package proxy

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// exchange proxies the request in cc.req to a backend of ro's pool and
// the answer back to the client, noting the outcome in acc if it is not
// nil. It returns whether the client connection may carry another
// request.
func (cc *clientConn) exchange(ro *route, acc *Access) bool {
	req, t := &cc.req, cc.f.timeouts
	pool := ro.pool
	b, bc, err := cc.f.connect(pool)
	if b == nil {
		if p := cc.f.router.reroute(pool, req.host, req.path); p != nil {
			pool = p // removed after this request read the route table
			b, bc, err = cc.f.connect(pool)
		}
	}
	if acc != nil {
		acc.Pool = pool.Name()
	}
	if err != nil {
		cc.br.Discard(req.size)
		// A body left unread would be taken for the next request.
		return cc.answerError(err, acc, req.hasBody())
	}
	if acc != nil {
		acc.Backend = b.addr
	}
	defer done(b) // after the connection is back in the pool, for draining

	err = cc.roundTrip(bc)
	if err != nil && bc.reused && req.replayable() && bc.br.Buffered() == 0 && !isTimeout(err) {
		// The backend closed this pooled connection while it was idle
		// and our request crossed its FIN: try once on a new connection.
		bc.Close()
		if bc, err = dialBackend(b.addr, time.Duration(t.Connect)); err == nil {
			err = cc.roundTrip(bc)
		}
	}
	if err != nil {
		if bc != nil {
			bc.Close()
		}
		if errors.Is(err, errClientGone) {
			return false
		}
		b.failed(pool.cfg.MaxFails, time.Duration(pool.cfg.FailTimeout))
		if !req.hasBody() {
			cc.br.Discard(req.size)
		}
		// After a body, part of it may be left unread: end the connection.
		return cc.answerError(err, acc, req.hasBody())
	}
	b.succeeded()
	if !req.hasBody() {
		cc.br.Discard(req.size) // kept until now for a retry
	}
	return cc.answer(b, bc, acc, ro)
}

// errClientGone means the client failed while sending a request body.
var errClientGone = errors.New("client went away")

// roundTrip sends the request to bc and reads the head of the answer.
func (cc *clientConn) roundTrip(bc *backendConn) error {
	if err := cc.send(bc); err != nil {
		return err
	}
	return cc.receiveHead(bc)
}

// send writes the request head, and its body if it has one, to bc. The
// head of a request without a body stays in the client's buffer, so that
// it can be sent again.
func (cc *clientConn) send(bc *backendConn) error {
	req, t := &cc.req, cc.f.timeouts
	bc.SetDeadline(time.Now().Add(time.Duration(t.BackendHeader)))
	req.writeHead(bc.bw, cc.ip, cc.f.router.proto)
	if req.hasBody() {
		cc.br.Discard(req.size)
		in := relay{src: cc.c, br: cc.br, dst: bc, bw: bc.bw, idle: time.Duration(t.Idle)}
		var err error
		if req.chunked {
			_, err = in.copyChunked()
		} else {
			err = in.copyN(req.length)
		}
		if in.readErr != nil {
			return fmt.Errorf("%w: %w", errClientGone, in.readErr)
		}
		if err != nil {
			return err
		}
		bc.SetDeadline(time.Now().Add(time.Duration(t.BackendHeader)))
	}
	return bc.bw.Flush()
}

// receiveHead reads the head of the backend's answer into cc.res,
// passing any 1xx interim answer (103 Early Hints, say) on to the client.
func (cc *clientConn) receiveHead(bc *backendConn) error {
	res := &cc.res
	for {
		if err := readHead(bc.br, &res.head, nil); err != nil {
			return err
		}
		if err := res.parse(); err != nil {
			return err
		}
		if res.code >= 200 {
			return nil
		}
		if res.code == http.StatusSwitchingProtocols {
			return errMalformed // no Upgrade was asked for on this path
		}
		res.writeHead(cc.bw, false, nil)
		bc.br.Discard(res.size)
		cc.c.SetWriteDeadline(time.Now().Add(time.Duration(cc.f.timeouts.Idle)))
		if err := cc.bw.Flush(); err != nil {
			return err
		}
	}
}

// answer copies the response whose head is in cc.res from bc to the
// client, with the fields the route adds, then puts bc back in b's pool
// if it can serve again.
func (cc *clientConn) answer(b *backend, bc *backendConn, acc *Access, ro *route) bool {
	req, res, t := &cc.req, &cc.res, cc.f.timeouts
	closing := req.close || res.closeDelimited(req)
	if res.size+len("Connection: close\r\n")+len(ro.extra) > cc.bw.Available() {
		// A head this large reaches the connection while it is written.
		cc.c.SetWriteDeadline(time.Now().Add(time.Duration(t.Idle)))
	}
	res.writeHead(cc.bw, closing, ro)
	bc.br.Discard(res.size)

	out := relay{src: bc, br: bc.br, dst: cc.c, bw: cc.bw, idle: time.Duration(t.Idle)}
	var n int64
	var err error
	switch {
	case res.bodyless(req):
	case res.chunked:
		n, err = out.copyChunked()
	case res.length != noBody:
		n, err = res.length, out.copyN(res.length)
	default:
		n, err = out.copyAll()
	}
	if err == nil {
		err = out.flush()
	}

	if err == nil && res.reuse && !res.closeDelimited(req) && !b.draining.Load() {
		b.idle.put(bc, time.Duration(t.Idle))
	} else {
		bc.Close()
	}
	if acc != nil {
		acc.Status, acc.Bytes = res.code, n
	}
	return err == nil && !closing
}

// answerError answers the client with the status for err (see
// statusFor) and no body; closing, or the client asking for it, ends
// the connection. It returns whether the connection may go on.
func (cc *clientConn) answerError(err error, acc *Access, closing bool) bool {
	status := statusFor(err)
	if acc != nil {
		acc.Status, acc.Err = status, err
	}
	closing = closing || cc.req.close
	writeErrorAnswer(cc.bw, status, closing)
	cc.c.SetWriteDeadline(time.Now().Add(time.Duration(cc.f.timeouts.Idle)))
	return cc.bw.Flush() == nil && !closing
}

// connect picks a backend of p and gets a connection to it: an idle one
// if there is one, else a new one. A backend whose dial fails counts a
// failure, and the next is tried, as on the net/http path (transport.go).
func (f *httpFrontend) connect(p *Pool) (*backend, *backendConn, error) {
	var last *backend
	err := ErrNoBackend
	for range maxTries {
		b := p.pick(last)
		if b == nil {
			break
		}
		last = b
		if bc := b.idle.get(time.Duration(f.timeouts.Idle)); bc != nil {
			return b, bc, nil
		}
		bc, derr := dialBackend(b.addr, time.Duration(f.timeouts.Connect))
		if derr == nil {
			return b, bc, nil
		}
		err = derr
		done(b)
		b.failed(p.cfg.MaxFails, time.Duration(p.cfg.FailTimeout))
	}
	return nil, nil, err
}

// writeErrorAnswer writes an answer the proxy makes itself: status and
// no body, closing the connection if asked.
func writeErrorAnswer(w *bufio.Writer, status int, closing bool) {
	w.WriteString("HTTP/1.1 ")
	w.WriteString(strconv.Itoa(status))
	w.WriteByte(' ')
	w.WriteString(http.StatusText(status))
	w.WriteString("\r\nContent-Length: 0\r\n")
	if closing {
		w.WriteString("Connection: close\r\n")
	}
	w.WriteString("\r\n")
}

// statusFor is the status of an answer the proxy makes itself because no
// backend answered: 503 if the pool had none up, 504 if the backend was
// too slow, else 502.
func statusFor(err error) int {
	switch {
	case errors.Is(err, ErrNoBackend):
		return http.StatusServiceUnavailable
	case isTimeout(err):
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
