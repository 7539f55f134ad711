package dns

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/miekg/dns"
)

// The UDP workers try serveWire on every packet before anything else.
// It answers the two kinds of query that make up nearly all of a busy
// server's traffic, an address of the zone and a forwarded name in the
// cache, reading the packet in place and writing the response straight
// into the worker's buffer: no dns.Msg is decoded, built or encoded.
// Any other query, and any query of an unusual shape, is left to the
// general path (ServeLocal and ServeDNS), which answers it the same way
// serveWire would have, byte for byte; FuzzServeWire checks that.

// Bits of the second word of a DNS header (RFC 1035 section 4.1.1; AD
// and CD come from RFC 4035 section 3.2).
const (
	flagQR     = 1 << 15
	opcodeBits = 0xf << 11
	flagAA     = 1 << 10
	flagRD     = 1 << 8
	flagRA     = 1 << 7
	flagAD     = 1 << 5
	flagCD     = 1 << 4
	rcodeBits  = 0xf
)

// maxNameSize is the longest name in wire format (RFC 1035 section
// 2.3.4), which is also the longest in presentation form plus one.
const maxNameSize = 255

// optSize is the size of the OPT record the server sends: an empty
// owner name, type, UDP size, extended flags and an empty RDATA (RFC
// 6891 section 6.1.2).
const optSize = 11

// zoneSuffix and arpaSuffix end the names of the zone and the reverse
// names, in presentation form.
var (
	zoneSuffix = []byte("." + Domain)
	arpaSuffix = []byte(".arpa.")
)

// wireQuery is a query read in place from its packet. Only the shape
// that stub resolvers send is read: a QUERY with one question of class
// IN, whose name holds only letters, digits, '-' and '_', and no other
// record than an optional EDNS0 OPT record without options.
type wireQuery struct {
	id, bits uint16
	// question is the question section as the client sent it.
	question []byte
	// name is the question's name in lower case, in presentation form
	// ("web.net1.shibafu.internal."): with so few kinds of byte allowed,
	// it needs no escapes and is the key the zone and the cache use.
	name  []byte
	qtype uint16
	// edns is set when the query has an OPT record; do is its DO bit.
	edns, do bool
	// size is the largest response the client takes (see udpSize).
	size int
}

// parseQuery reads pkt into a wireQuery, writing the name into buf. It
// reports false for any packet not of the shape wireQuery describes.
func parseQuery(pkt, buf []byte) (q wireQuery, ok bool) {
	if len(pkt) < headerSize {
		return q, false
	}
	h := parseHeader(pkt)
	if h.Bits&(flagQR|opcodeBits) != 0 || h.Qdcount != 1 || h.Ancount != 0 ||
		h.Nscount != 0 || h.Arcount > 1 {
		return q, false
	}
	q.id, q.bits, q.size = h.Id, h.Bits, dns.MinMsgSize

	name, off, ok := readName(pkt, buf)
	if !ok || off+4 > len(pkt) || binary.BigEndian.Uint16(pkt[off+2:]) != dns.ClassINET {
		return q, false
	}
	q.name, q.qtype = name, binary.BigEndian.Uint16(pkt[off:])
	q.question = pkt[headerSize : off+4]
	off += 4

	if h.Arcount == 1 && !readOPT(pkt[off:], &q) {
		return q, false
	}
	return q, off+optSize*int(h.Arcount) == len(pkt)
}

// readName reads the question's name, which starts right after the
// header, into buf in the form of wireQuery.name, and returns it and
// where it ends. A compressed name, the root and names too long are
// refused. (It returns the name rather than set it in a wireQuery so
// that buf can stay on the caller's stack.)
func readName(pkt, buf []byte) ([]byte, int, bool) {
	name, off := buf[:0], headerSize
	for off < len(pkt) && pkt[off] != 0 {
		n := int(pkt[off])
		off++
		if n > 63 || off+n > len(pkt) || len(name)+n+1 >= maxNameSize {
			return nil, 0, false
		}
		for _, c := range pkt[off : off+n] {
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			default:
				return nil, 0, false
			}
			name = append(name, c)
		}
		name = append(name, '.')
		off += n
	}
	if off >= len(pkt) || len(name) == 0 {
		return nil, 0, false
	}
	return name, off + 1, true
}

// readOPT reads an OPT record of EDNS version 0 with no options, which
// must be all of b (RFC 6891 section 6.1.2).
func readOPT(b []byte, q *wireQuery) bool {
	be := binary.BigEndian
	if len(b) != optSize || b[0] != 0 || be.Uint16(b[1:]) != dns.TypeOPT ||
		b[6] != 0 || be.Uint16(b[9:]) != 0 {
		return false
	}
	q.edns, q.do = true, b[7]&0x80 != 0
	q.size = min(max(q.size, int(be.Uint16(b[3:]))), MaxUDPSize)
	return true
}

// serveWire answers pkt, a query from a client at src, into out, if it
// is of the kind and shape this file handles: A and AAAA for a name of
// the zone that has such addresses, or a forwarded name whose answer is
// in the cache. It returns the response, or false for the general path.
func (h *Handler) serveWire(out, pkt []byte, src netip.Addr) ([]byte, bool) {
	var buf [maxNameSize]byte
	q, ok := parseQuery(pkt, buf[:])
	if !ok {
		return nil, false
	}
	view, _ := h.Views.Lookup(src)
	idx := h.zone().index()
	nets := idx.networksOf(src, view.Network)

	switch {
	case bytes.HasSuffix(q.name, zoneSuffix):
		return h.wireZone(out, &q, idx.nodes[string(q.name)], nets)
	case string(q.name) == Domain, bytes.HasSuffix(q.name, arpaSuffix),
		bytes.Count(q.name, []byte{'.'}) == 1, isShortName(idx, q.name, nets):
		// The apex, reverse names, single labels and short names: see
		// Handler.answer.
		return nil, false
	}
	return h.wireCached(out, &q)
}

// isShortName reports whether name is a short name of a node on one
// of networks, as shortName finds them, without allocating.
func isShortName(idx *index, name []byte, networks []string) bool {
	var buf [2 * maxNameSize]byte
	for _, n := range networks {
		b := append(append(append(buf[:0], name...), n...), '.')
		if idx.nodes[string(append(b, Domain...))] != nil {
			return true
		}
	}
	return false
}

// wireZone answers q from n, a node of the zone, when it holds
// addresses of q's type that the client may see and that fit its UDP
// size: NXDOMAIN, NODATA and truncated answers take the general path.
// The records come rotated, as records rotates them.
func (h *Handler) wireZone(out []byte, q *wireQuery, n *node, nets []string) ([]byte, bool) {
	if !n.seenFrom(nets) {
		return nil, false
	}
	ips, rdlen := n.v4, 4
	switch q.qtype {
	case dns.TypeA:
	case dns.TypeAAAA:
		ips, rdlen = n.v6, 16
	default:
		return nil, false
	}
	count, owner := len(ips), q.question[:len(q.question)-4]
	size := headerSize + len(q.question) + count*(len(owner)+10+rdlen) + q.optSize()
	if count == 0 || size > q.size {
		return nil, false
	}

	b := q.appendHeader(out[:0], flagAA|h.raBit(), count, 0, 0)
	b = append(b, q.question...)
	first := n.nextTurn(count)
	for i := range count {
		b = appendAddr(b, owner, ips[(first+i)%count], q.qtype, h.ttl())
	}
	return q.appendOPT(b), true
}

// appendAddr appends an A or AAAA record for ip, whose owner is the
// question's name as the client spelled it, in wire format. The name is
// written out in full, not compressed, as miekg/dns writes a response
// that fits (see dns.Msg.Truncate).
func appendAddr(b, owner []byte, ip netip.Addr, rrtype uint16, ttl uint32) []byte {
	be := binary.BigEndian
	b = append(b, owner...)
	b = be.AppendUint16(b, rrtype)
	b = be.AppendUint16(b, dns.ClassINET)
	b = be.AppendUint32(b, ttl)
	if rrtype == dns.TypeA {
		a := ip.As4()
		return append(be.AppendUint16(b, 4), a[:]...)
	}
	a := ip.As16()
	return append(be.AppendUint16(b, 16), a[:]...)
}

// wireCached answers q with the cached answer packed for it (see
// Cache.getWire), fixing up the header: the client's ID and flags, and
// the question as it spelled it. It takes the general path when the
// answer is not cached, not fresh, or too large for the client.
func (h *Handler) wireCached(out []byte, q *wireQuery) ([]byte, bool) {
	if h.Forwarder == nil || h.Forwarder.Cache == nil {
		return nil, false
	}
	packed, ok := h.Forwarder.Cache.getWire(q.name, q.qtype, q.do, time.Now())
	end := headerSize + len(q.question)
	if !ok || len(packed) < end || !bytes.EqualFold(packed[headerSize:end], q.question) ||
		len(packed)+q.optSize() > q.size {
		return nil, false
	}

	be := binary.BigEndian
	bits := be.Uint16(packed[2:])&(flagAD|rcodeBits) | h.raBit()
	an, ns, ar := be.Uint16(packed[6:]), be.Uint16(packed[8:]), be.Uint16(packed[10:])
	b := q.appendHeader(out[:0], bits, int(an), int(ns), int(ar))
	b = append(b, q.question...)
	b = append(b, packed[end:]...)
	return q.appendOPT(b), true
}

// raBit is the RA bit of the handler's responses: recursion is
// available when there is a forwarder.
func (h *Handler) raBit() uint16 {
	if h.Forwarder != nil {
		return flagRA
	}
	return 0
}

// appendHeader appends the header of the response to q, with bits
// (AA, RA, AD, RCODE) and the counts of its answer, authority and
// additional records, plus the OPT record if q had one. Like
// dns.Msg.SetReply, it copies the ID and the RD and CD bits.
func (q *wireQuery) appendHeader(b []byte, bits uint16, an, ns, ar int) []byte {
	if q.edns {
		ar++
	}
	be := binary.BigEndian
	b = be.AppendUint16(b, q.id)
	b = be.AppendUint16(b, flagQR|bits|q.bits&(flagRD|flagCD))
	b = be.AppendUint16(b, 1)
	b = be.AppendUint16(b, uint16(an))
	b = be.AppendUint16(b, uint16(ns))
	return be.AppendUint16(b, uint16(ar))
}

// optSize is the size of the OPT record of the response to q, which
// has one when q had one, as in Handler.resolve.
func (q *wireQuery) optSize() int {
	if q.edns {
		return optSize
	}
	return 0
}

// appendOPT appends the response's OPT record, if q had one: the
// server's UDP size, version 0, no DO bit and no options, as
// dns.Msg.SetEdns0(MaxUDPSize, false) makes it.
func (q *wireQuery) appendOPT(b []byte) []byte {
	if !q.edns {
		return b
	}
	be := binary.BigEndian
	b = append(b, 0)
	b = be.AppendUint16(b, dns.TypeOPT)
	b = be.AppendUint16(b, MaxUDPSize)
	b = be.AppendUint32(b, 0)
	return be.AppendUint16(b, 0)
}
