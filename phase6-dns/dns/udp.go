package dns

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sync"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// udpWorkers is how many goroutines read each UDP socket. A worker
// only answers what takes a microsecond or two (zone names and cached
// answers) and hands queries that must wait on an upstream to a
// goroutine of their own (see answer), so a few workers suffice.
const udpWorkers = 8

// headerSize is the size of a DNS message header (RFC 1035 section 4.1.1).
const headerSize = 12

// udpServer answers the queries arriving on one UDP socket.
//
// It plays the part of miekg/dns's Server for UDP, for speed: that one
// starts a goroutine and allocates a new message, a response writer
// and an output buffer for every packet, and at a few hundred thousand
// packets a second that work and the garbage it leaves cost more than
// answering. Here a fixed set of workers each own their buffers and
// use them again for every packet, so answering a query from memory
// allocates only the few objects the handler makes.
type udpServer struct {
	conn    *net.UDPConn
	handler dns.Handler
	// waiting bounds the queries handed off to wait on an upstream; see
	// handOff.
	waiting chan struct{}
	// wildcard is set when conn is bound to 0.0.0.0 or [::]: see
	// replySource.
	wildcard bool
	wg       sync.WaitGroup
}

// serveUDP starts the workers of a udpServer on conn.
func serveUDP(conn *net.UDPConn, h dns.Handler) *udpServer {
	ap := conn.LocalAddr().(*net.UDPAddr).AddrPort()
	s := &udpServer{conn: conn, handler: h, wildcard: ap.Addr().IsUnspecified(),
		waiting: make(chan struct{}, maxWaiting)}
	for range udpWorkers {
		s.wg.Go(s.work)
	}
	return s
}

// close closes the socket and waits for the workers to finish the
// queries they are answering.
func (s *udpServer) close() error {
	err := s.conn.Close()
	s.wg.Wait()
	return err
}

// work reads and answers queries until the socket is closed. Several
// workers read the same socket: each packet goes to one of them.
func (s *udpServer) work() {
	w := &udpWriter{server: s, conn: s.conn, local: s.conn.LocalAddr()}
	in := make([]byte, MaxUDPSize)
	var oob []byte
	if s.wildcard {
		oob = make([]byte, 128)
	}
	for {
		n, oobn, _, from, err := s.conn.ReadMsgUDPAddrPort(in, oob)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // a passing error, such as the kernel short of memory
		}
		w.remote = from
		if s.wildcard {
			w.oob = replySource(oob[:oobn])
		}
		w.serve(s.handler, in[:n])
	}
}

// udpWriter is the dns.ResponseWriter of one worker: it answers the
// query the worker read last, to the address it came from.
type udpWriter struct {
	server *udpServer
	conn   *net.UDPConn
	local  net.Addr
	remote netip.AddrPort
	// oob is the control message sent with the response, if any.
	oob []byte
	// req is the query being answered: decoding into the same Msg every
	// time saves allocating one per packet. A handler must therefore not
	// keep it after ServeDNS returns.
	req dns.Msg
	// out is where responses are encoded, so that packing does not
	// allocate. It holds any UDP response of this server, which is at
	// most MaxUDPSize bytes once compressed; PackBuffer wants room for
	// the uncompressed form too, and makes a buffer of its own for a
	// rare larger message.
	out [4 * MaxUDPSize]byte
}

var _ dns.ResponseWriter = (*udpWriter)(nil)

// serve decodes the query in pkt and has h answer it. It filters
// packets the way miekg/dns's Server does, so that clients see the same
// behaviour: packets shorter than a header and responses (QR set) get
// no answer, which a forged source address could turn against a third
// party; malformed or unexpected messages get FORMERR, and opcodes
// other than QUERY and NOTIFY get NOTIMP.
func (w *udpWriter) serve(h dns.Handler, pkt []byte) {
	if len(pkt) < headerSize {
		return
	}
	action := dns.DefaultMsgAcceptFunc(parseHeader(pkt))
	w.req = dns.Msg{}
	switch action {
	case dns.MsgIgnore:
		return
	case dns.MsgAccept:
		if err := w.req.Unpack(pkt); err == nil {
			w.answer(h)
			return
		}
	default:
		// Decode the header alone: the sections were not checked.
		w.req.Unpack(pkt[:headerSize])
	}
	w.reject(action)
}

// reject answers w.req with FORMERR, or with NOTIMP for an opcode the
// server does not know, echoing the question as far as it was read.
func (w *udpWriter) reject(action dns.MsgAcceptAction) {
	m := &w.req
	opcode := m.Opcode
	m.SetRcodeFormatError(m)
	m.Zero = false
	if action == dns.MsgRejectNotImplemented {
		m.Opcode = opcode
		m.Rcode = dns.RcodeNotImplemented
	}
	m.Answer, m.Ns, m.Extra = nil, nil, nil
	w.WriteMsg(m)
}

// receiveDestination asks the kernel to tell, with every packet read
// from conn, the address it was sent to (IP_PKTINFO, ip(7), and
// IPV6_RECVPKTINFO, ipv6(7)). A socket bound to 0.0.0.0 or [::] needs
// it to answer from that address: otherwise the kernel picks a source
// by the route to the client, and a client that asked 10.0.0.1 and gets
// an answer from 10.0.0.2 drops it. One of the two may fail on a socket
// of the other family.
func receiveDestination(conn *net.UDPConn) error {
	err4 := ipv4.NewPacketConn(conn).SetControlMessage(ipv4.FlagDst, true)
	err6 := ipv6.NewPacketConn(conn).SetControlMessage(ipv6.FlagDst, true)
	if err4 != nil && err6 != nil {
		return err4
	}
	return nil
}

// replySource turns the control message read with a query, which
// holds the address the query was sent to, into one that sends the
// response from that address (nil when it holds none).
func replySource(oob []byte) []byte {
	var cm6 ipv6.ControlMessage
	if cm6.Parse(oob) == nil && cm6.Dst != nil && cm6.Dst.To4() == nil {
		return (&ipv6.ControlMessage{Src: cm6.Dst}).Marshal()
	}
	var cm4 ipv4.ControlMessage
	if cm4.Parse(oob) == nil && cm4.Dst != nil {
		return (&ipv4.ControlMessage{Src: cm4.Dst}).Marshal()
	}
	if cm6.Dst != nil {
		return (&ipv4.ControlMessage{Src: cm6.Dst}).Marshal()
	}
	return nil
}

// parseHeader reads the fixed header of a DNS message (RFC 1035 section
// 4.1.1); pkt must hold at least headerSize bytes.
func parseHeader(pkt []byte) dns.Header {
	be := binary.BigEndian
	return dns.Header{
		Id: be.Uint16(pkt[0:]), Bits: be.Uint16(pkt[2:]),
		Qdcount: be.Uint16(pkt[4:]), Ancount: be.Uint16(pkt[6:]),
		Nscount: be.Uint16(pkt[8:]), Arcount: be.Uint16(pkt[10:]),
	}
}

// WriteMsg encodes m into the worker's buffer and sends it.
func (w *udpWriter) WriteMsg(m *dns.Msg) error {
	b, err := m.PackBuffer(w.out[:])
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Write sends b, an encoded response, to the client.
func (w *udpWriter) Write(b []byte) (int, error) {
	n, _, err := w.conn.WriteMsgUDPAddrPort(b, w.oob, w.remote)
	return n, err
}

// LocalAddr returns the address of the socket.
func (w *udpWriter) LocalAddr() net.Addr { return w.local }

// RemoteAddr returns the client's address.
func (w *udpWriter) RemoteAddr() net.Addr { return net.UDPAddrFromAddrPort(w.remote) }

// RemoteAddrPort returns the client's address without allocating.
func (w *udpWriter) RemoteAddrPort() netip.AddrPort { return w.remote }

// Close does nothing: the socket is shared by every client.
func (w *udpWriter) Close() error { return nil }

// TsigStatus returns nil: the server does not use TSIG.
func (w *udpWriter) TsigStatus() error { return nil }

// TsigTimersOnly does nothing: the server does not use TSIG.
func (w *udpWriter) TsigTimersOnly(bool) {}

// Hijack does nothing: a UDP socket cannot be handed over to a handler.
func (w *udpWriter) Hijack() {}

// maxWaiting is how many queries of one socket may wait on upstream
// servers at once. Past it, a query is answered SERVFAIL at once rather
// than queue: a dead upstream must not make the server hoard memory.
const maxWaiting = 1024

// localServer is a handler that can tell a query it answers at once
// from one that must wait on an upstream server (see Handler.ServeLocal).
type localServer interface {
	ServeLocal(w dns.ResponseWriter, req *dns.Msg) bool
}

// answer has h answer w.req. A query that must wait on an upstream
// server goes to a goroutine of its own, so that a worker only ever does
// work that takes microseconds: otherwise a few queries to a dead
// upstream would hold every worker of the socket, and names of the zone
// would wait behind them.
func (w *udpWriter) answer(h dns.Handler) {
	local, ok := h.(localServer)
	if !ok {
		h.ServeDNS(w, &w.req)
		return
	}
	if !local.ServeLocal(w, &w.req) {
		w.handOff(h)
	}
}

// handOff answers w.req with h in a new goroutine, on a copy of the
// writer: the worker reuses its own for the next packet.
func (w *udpWriter) handOff(h dns.Handler) {
	select {
	case w.server.waiting <- struct{}{}:
	default:
		resp := new(dns.Msg)
		resp.SetRcode(&w.req, dns.RcodeServerFailure)
		w.WriteMsg(resp)
		return
	}
	c := &udpWriter{server: w.server, conn: w.conn, local: w.local, remote: w.remote,
		oob: slices.Clone(w.oob)}
	w.req.CopyTo(&c.req)
	w.server.wg.Go(func() {
		defer func() { <-w.server.waiting }()
		h.ServeDNS(c, &c.req)
	})
}
