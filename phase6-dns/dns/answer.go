package dns

import (
	"slices"

	"github.com/miekg/dns"
)

// visible returns the node at name if a client on networks may see it:
// a client on no network sees every name, a client on networks only
// those networks' names and the zone apex.
func (idx *index) visible(name string, networks []string) *node {
	if n := idx.nodes[name]; n.seenFrom(networks) {
		return n
	}
	return nil
}

// seenFrom reports whether n exists and a client on networks may see
// it (see visible).
func (n *node) seenFrom(networks []string) bool {
	return n != nil && (len(networks) == 0 || n.network == "" ||
		slices.Contains(networks, n.network))
}

// authoritative fills resp with what n holds for q, as the server
// authoritative for it (the AA bit). The three outcomes are those of
// RFC 2308: an answer; NODATA (NOERROR, no answer) when the name exists
// without data of that type; NXDOMAIN when it does not exist. Both
// negative ones carry the SOA of the zone apex soaOwner, whose TTL
// tells resolvers how long to cache them.
func (h *Handler) authoritative(resp *dns.Msg, q dns.Question, n *node, soaOwner string) {
	resp.Authoritative = true
	if n == nil {
		resp.Rcode = dns.RcodeNameError
		resp.Ns = []dns.RR{h.soa(soaOwner)}
		return
	}
	resp.Answer = h.records(n, q)
	if len(resp.Answer) == 0 {
		resp.Ns = []dns.RR{h.soa(soaOwner)}
		return
	}
	resp.Extra = append(resp.Extra, h.additional(resp.Answer)...)
}

// records returns the records of n that answer q, owned by q's name as
// the client spelled it. Addresses and SRV targets come rotated.
func (h *Handler) records(n *node, q dns.Question) []dns.RR {
	var rrs []dns.RR
	all := q.Qtype == dns.TypeANY
	if q.Qtype == dns.TypeA || all {
		for _, ip := range rotate(n, n.v4) {
			rrs = append(rrs, &dns.A{Hdr: h.header(q.Name, dns.TypeA), A: ip.AsSlice()})
		}
	}
	if q.Qtype == dns.TypeAAAA || all {
		for _, ip := range rotate(n, n.v6) {
			rrs = append(rrs, &dns.AAAA{Hdr: h.header(q.Name, dns.TypeAAAA), AAAA: ip.AsSlice()})
		}
	}
	if q.Qtype == dns.TypeSRV || all {
		for _, t := range rotate(n, n.srv) {
			rrs = append(rrs, &dns.SRV{Hdr: h.header(q.Name, dns.TypeSRV),
				Priority: 0, Weight: 10, Port: t.port, Target: t.target})
		}
	}
	if q.Qtype == dns.TypePTR || all {
		for _, target := range n.ptr {
			rrs = append(rrs, &dns.PTR{Hdr: h.header(q.Name, dns.TypePTR), Ptr: target})
		}
	}
	if (q.Qtype == dns.TypeSOA || all) && dns.CanonicalName(q.Name) == Domain {
		rrs = append(rrs, h.soa(q.Name))
	}
	return rrs
}

// additional returns the addresses of the targets of SRV answers, so a
// client needs no second query to reach them (RFC 2782, "Usage rules").
func (h *Handler) additional(answer []dns.RR) []dns.RR {
	var extra []dns.RR
	idx := h.zone().index()
	for _, rr := range answer {
		srv, ok := rr.(*dns.SRV)
		if !ok {
			continue
		}
		n := idx.nodes[srv.Target]
		if n == nil {
			continue
		}
		for _, ip := range n.v4 {
			extra = append(extra, &dns.A{Hdr: h.header(srv.Target, dns.TypeA), A: ip.AsSlice()})
		}
		for _, ip := range n.v6 {
			extra = append(extra, &dns.AAAA{Hdr: h.header(srv.Target, dns.TypeAAAA),
				AAAA: ip.AsSlice()})
		}
	}
	return extra
}

// soa is the zone's start of authority (RFC 1035 section 3.3.13) at
// owner. Its TTL and MINIMUM are the negative-caching TTL (RFC 2308
// section 4); refresh, retry and expire matter only to secondary
// servers, which this zone does not have.
func (h *Handler) soa(owner string) *dns.SOA {
	return &dns.SOA{
		Hdr:     h.header(owner, dns.TypeSOA),
		Ns:      "ns." + Domain,
		Mbox:    "hostmaster." + Domain,
		Serial:  h.zone().Serial(),
		Refresh: 3600,
		Retry:   600,
		Expire:  86400,
		Minttl:  h.ttl(),
	}
}

func (h *Handler) header(owner string, rrtype uint16) dns.RR_Header {
	return dns.RR_Header{Name: owner, Rrtype: rrtype, Class: dns.ClassINET, Ttl: h.ttl()}
}
