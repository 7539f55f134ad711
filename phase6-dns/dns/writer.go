package dns

import (
	"encoding/binary"
	"net"
	"net/netip"

	"github.com/miekg/dns"
)

// udpWriter is a dns.ResponseWriter over UDP: it answers one query at
// a time, to the address it came from. A worker has one per datagram of
// its batch, and keeps the response for the worker to send with the rest
// of the batch; a query handed off to wait on an upstream gets one of
// its own, which sends at once.
type udpWriter struct {
	server *udpServer
	local  net.Addr
	remote netip.AddrPort
	// oob is the control message sent with the response, if any.
	oob []byte
	// req is the query being answered: decoding into the same Msg every
	// time saves allocating one per packet. A handler must therefore not
	// keep it after ServeDNS returns.
	req dns.Msg
	// held is set for a worker's writer: Write then keeps the response
	// in reply for the worker to send, instead of sending it.
	held bool
	// reply is the response kept, nil when none; replies holds it as
	// the one-buffer list that sendmmsg takes, which saves making that
	// list for every packet.
	reply   []byte
	replies [1][]byte
	// out is where responses are encoded, so that packing does not
	// allocate. It holds any UDP response of this server, which is at
	// most MaxUDPSize bytes once compressed; PackBuffer wants room for
	// the uncompressed form too, and makes a buffer of its own for a
	// rare larger message.
	out [4 * MaxUDPSize]byte
}

var _ dns.ResponseWriter = (*udpWriter)(nil)

// wireServer is a handler that can answer some queries straight from
// and into wire format, faster than decoding and encoding them (see
// Handler.serveWire). serveWire writes the response to the query in
// pkt, from a client at src, into out and returns it, or reports false
// for a query that must take the general path.
type wireServer interface {
	serveWire(out, pkt []byte, src netip.Addr) ([]byte, bool)
}

// reset readies w to answer a new query from remote.
func (w *udpWriter) reset(remote netip.AddrPort) {
	w.remote, w.oob = remote, nil
	w.reply, w.replies[0] = nil, nil
}

// serve has h answer the query in pkt: straight from the packet when h
// can (see wireServer), else decoded into w.req. It filters packets the
// way miekg/dns's Server does, so that clients see the same behaviour:
// packets shorter than a header and responses (QR set) get no answer,
// which a forged source address could turn against a third party;
// malformed or unexpected messages get FORMERR, and opcodes other than
// QUERY and NOTIFY get NOTIMP. (serveWire answers only well-formed
// queries, which the filter lets through.)
func (w *udpWriter) serve(h dns.Handler, pkt []byte) {
	if len(pkt) < headerSize {
		return
	}
	if fast, ok := h.(wireServer); ok {
		if resp, ok := fast.serveWire(w.out[:], pkt, w.remote.Addr().Unmap()); ok {
			w.Write(resp)
			return
		}
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

// Write sends b, an encoded response, to the client; a worker's writer
// keeps it instead, in out, for the worker to send with its batch. Only
// the first response to a query is kept: a second one, which no handler
// of this package writes, goes out at once like one too large for out.
func (w *udpWriter) Write(b []byte) (int, error) {
	if w.held && w.reply == nil && len(b) <= len(w.out) {
		w.reply = w.out[:copy(w.out[:], b)]
		w.replies[0] = w.reply
		return len(b), nil
	}
	n, _, err := w.server.conn.WriteMsgUDPAddrPort(b, w.oob, w.remote)
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
