package dns

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// Default settings of a Handler.
const (
	// DefaultTTL is the TTL of the zone's answers, in seconds. It is
	// short because containers come and go: a client that cached an
	// address for longer would keep calling a container that is gone.
	DefaultTTL = 5
	// MaxUDPSize is the largest UDP response the server sends, the size
	// that DNS Flag Day 2020 recommends to avoid IP fragmentation.
	MaxUDPSize = 1232
)

// Handler answers DNS queries: names in the zone shibafu.internal. and
// the PTR names of its addresses from Zone, other names through
// Forwarder. It implements dns.Handler of github.com/miekg/dns, which
// inside this package is the identifier dns.
type Handler struct {
	// Zone holds the records; nil is an empty zone.
	Zone *Zone
	// Views maps clients to their networks; nil means every client sees
	// every name and none can use short names.
	Views *Views
	// Forwarder answers names outside the zone; nil refuses them.
	Forwarder *Forwarder
	// TTL is the TTL of answers and of the SOA's negative caching
	// (RFC 2308), in seconds; 0 means DefaultTTL.
	TTL uint32
}

var _ dns.Handler = (*Handler)(nil)

// ServeDNS answers one query and writes the response, truncated with
// the TC bit set when it does not fit a UDP datagram the client can
// take, so that the client asks again over TCP (RFC 7766).
func (h *Handler) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	// miekg/dns gives a handler no context; the forwarder bounds every
	// query with its own timeout instead.
	resp := h.Resolve(context.Background(), req, clientAddr(w))
	if _, udp := w.LocalAddr().(*net.UDPAddr); udp {
		resp.Truncate(udpSize(req))
	}
	w.WriteMsg(resp)
}

// ServeLocal answers req as ServeDNS does if it can without waiting on
// an upstream server (a name of the zone, or a forwarded name still in
// the cache), and reports whether it did. The UDP workers answer
// through it, so that a query that must wait never holds up the others.
func (h *Handler) ServeLocal(w dns.ResponseWriter, req *dns.Msg) bool {
	resp, ok := h.resolve(context.Background(), req, clientAddr(w), true)
	if !ok {
		return false
	}
	if _, udp := w.LocalAddr().(*net.UDPAddr); udp {
		resp.Truncate(udpSize(req))
	}
	w.WriteMsg(resp)
	return true
}

// Resolve returns the response to req from a client at src.
func (h *Handler) Resolve(ctx context.Context, req *dns.Msg, src netip.Addr) *dns.Msg {
	resp, _ := h.resolve(ctx, req, src, false)
	return resp
}

// resolve builds the response to req. With localOnly set it reports
// false, and builds nothing useful, when only an upstream could answer.
func (h *Handler) resolve(ctx context.Context, req *dns.Msg, src netip.Addr,
	localOnly bool) (*dns.Msg, bool) {
	resp := new(dns.Msg)
	resp.SetReply(req)
	resp.RecursionAvailable = h.Forwarder != nil
	resp.Compress = true
	opt := req.IsEdns0()
	if opt != nil {
		resp.SetEdns0(MaxUDPSize, false)
	}

	switch {
	case req.Opcode != dns.OpcodeQuery:
		resp.Rcode = dns.RcodeNotImplemented
	case len(req.Question) != 1:
		resp.Rcode = dns.RcodeFormatError
	case opt != nil && opt.Version() != 0:
		resp.Rcode = dns.RcodeBadVers // RFC 6891 section 6.1.3
	case req.Question[0].Qclass != dns.ClassINET:
		resp.Rcode = dns.RcodeRefused
	default:
		ok := h.answer(ctx, resp, req.Question[0], src, opt != nil && opt.Do(), localOnly)
		return resp, ok
	}
	return resp, true
}

// answer fills resp for question q: from the zone when the name is
// ours, from the forwarder otherwise. It reports false when localOnly
// is set and only an upstream could answer.
func (h *Handler) answer(ctx context.Context, resp *dns.Msg, q dns.Question,
	src netip.Addr, do, localOnly bool) bool {
	name := strings.ToLower(q.Name)
	view, _ := h.Views.Lookup(src)
	idx := h.zone().index()
	nets := idx.networksOf(src, view.Network)

	switch {
	case inZone(name):
		h.authoritative(resp, q, zoneName(idx, name, nets), Domain)
	case isReverse(name):
		return h.reverse(ctx, resp, q, idx.visible(name, nets), do, localOnly)
	case shortName(idx, name, nets) != nil:
		// A short name: NAME inside one of the client's networks.
		h.authoritative(resp, q, shortName(idx, name, nets), Domain)
	case dns.CountLabel(name) == 1:
		// Single-label names never leave the host, as systemd-resolved
		// also does: no upstream could know a container's short name.
		resp.Rcode = dns.RcodeNameError
	default:
		return h.forward(ctx, resp, q, do, localOnly)
	}
	return true
}

// zoneName returns the node at name, a name of the zone, if a client on
// networks may see it. A name one label below the apex that is no
// network the client is on, such as web.shibafu.internal., is taken as
// NAME.shibafu.internal.: the short name web. qualified, which finds
// web on the client's own networks. A container can so use a fully
// qualified name without knowing its network's name (the PaaS gives its
// apps APP.shibafu.internal this way).
func zoneName(idx *index, name string, networks []string) *node {
	if n := idx.visible(name, networks); n != nil {
		return n
	}
	if label, rest, _ := strings.Cut(name, "."); rest == Domain {
		return shortName(idx, label+".", networks)
	}
	return nil
}

// shortName returns the node of NAME on the first of networks that has
// one, nil if none does.
func shortName(idx *index, name string, networks []string) *node {
	for _, n := range networks {
		if node := idx.nodes[name+networkDomain(n)]; node != nil {
			return node
		}
	}
	return nil
}

// reverse answers a PTR name: from the zone if it holds the address,
// with NXDOMAIN if the address lies in a network's subnet, and from the
// forwarder otherwise.
func (h *Handler) reverse(ctx context.Context, resp *dns.Msg, q dns.Question,
	n *node, do, localOnly bool) bool {
	if n != nil {
		h.authoritative(resp, q, n, Domain)
		return true
	}
	if view, ok := h.Views.covering(strings.ToLower(q.Name)); ok {
		h.authoritative(resp, q, nil, reverseZone(view.Subnet))
		return true
	}
	return h.forward(ctx, resp, q, do, localOnly)
}

// forward fills resp with an upstream's answer, or SERVFAIL when none
// answers in time. With localOnly it uses only the cache, and reports
// false on a miss.
func (h *Handler) forward(ctx context.Context, resp *dns.Msg, q dns.Question,
	do, localOnly bool) bool {
	if h.Forwarder == nil {
		resp.Rcode = dns.RcodeRefused
		return true
	}
	var up *dns.Msg
	var err error
	if localOnly {
		var ok bool
		if up, ok = h.Forwarder.cached(q, do); !ok {
			return false
		}
	} else if up, err = h.Forwarder.Forward(ctx, q, do); err != nil {
		resp.Rcode = dns.RcodeServerFailure
		return true
	}
	resp.Rcode = up.Rcode
	resp.AuthenticatedData = up.AuthenticatedData
	resp.Answer, resp.Ns = up.Answer, up.Ns
	resp.Extra = append(withoutOPT(up.Extra), resp.Extra...)
	return true
}

func (h *Handler) zone() *Zone {
	if h.Zone == nil {
		return &Zone{}
	}
	return h.Zone
}

func (h *Handler) ttl() uint32 {
	if h.TTL == 0 {
		return DefaultTTL
	}
	return h.TTL
}

// udpSize is the largest UDP response req's sender accepts: 512 bytes
// (RFC 1035) unless it advertised more with EDNS0 (RFC 6891), and never
// more than MaxUDPSize.
func udpSize(req *dns.Msg) int {
	size := dns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = max(size, int(opt.UDPSize()))
	}
	return min(size, MaxUDPSize)
}

// clientAddr returns the IP address of the client w answers. The
// server's own UDP writer gives it as a netip.AddrPort, which saves
// allocating a net.Addr per query; other writers give a net.Addr.
func clientAddr(w dns.ResponseWriter) netip.Addr {
	if u, ok := w.(interface{ RemoteAddrPort() netip.AddrPort }); ok {
		return u.RemoteAddrPort().Addr().Unmap()
	}
	return addrOf(w.RemoteAddr())
}

// addrOf returns the IP address of a UDP or TCP peer.
func addrOf(a net.Addr) netip.Addr {
	var ip net.IP
	switch a := a.(type) {
	case *net.UDPAddr:
		ip = a.IP
	case *net.TCPAddr:
		ip = a.IP
	}
	addr, _ := netip.AddrFromSlice(ip)
	return addr.Unmap()
}

func withoutOPT(rrs []dns.RR) []dns.RR {
	var out []dns.RR
	for _, rr := range rrs {
		if rr.Header().Rrtype != dns.TypeOPT {
			out = append(out, rr)
		}
	}
	return out
}
