package dns

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZoneAnswers asks the server questions about testZone, from the
// host (no views), and checks the answers, in the manner of coredns.
func TestZoneAnswers(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t)})
	const soa = "SOA ns.shibafu.internal. hostmaster.shibafu.internal. 6 3600 600 86400 5"
	tests := []struct {
		name   string
		qtype  uint16
		rcode  int
		aa     bool
		answer []string // compared without regard to order
		ns     []string
	}{
		{"web.net1.shibafu.internal.", dns.TypeA, dns.RcodeSuccess, true,
			[]string{"A 10.1.0.2"}, nil},
		{"WeB.NeT1.shibafu.INTERNAL.", dns.TypeA, dns.RcodeSuccess, true,
			[]string{"A 10.1.0.2"}, nil},
		{"web.net1.shibafu.internal.", dns.TypeAAAA, dns.RcodeSuccess, true,
			[]string{"AAAA fd00::2"}, nil},
		{"api.net1.shibafu.internal.", dns.TypeA, dns.RcodeSuccess, true,
			[]string{"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13"}, nil},
		{"_http._tcp.api.net1.shibafu.internal.", dns.TypeSRV, dns.RcodeSuccess, true,
			[]string{
				"SRV 0 10 8080 api-1.net1.shibafu.internal.",
				"SRV 0 10 8080 api-2.net1.shibafu.internal.",
				"SRV 0 10 8080 api-3.net1.shibafu.internal.",
			}, nil},
		{"2.0.1.10.in-addr.arpa.", dns.TypePTR, dns.RcodeSuccess, true,
			[]string{"PTR web.net1.shibafu.internal."}, nil},
		{"2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.",
			dns.TypePTR, dns.RcodeSuccess, true,
			[]string{"PTR web.net1.shibafu.internal."}, nil},
		{"shibafu.internal.", dns.TypeSOA, dns.RcodeSuccess, true, []string{soa}, nil},
		// NODATA: the name exists, but not with this type.
		{"db.net1.shibafu.internal.", dns.TypeAAAA, dns.RcodeSuccess, true, nil,
			[]string{soa}},
		{"web.net1.shibafu.internal.", dns.TypeTXT, dns.RcodeSuccess, true, nil,
			[]string{soa}},
		{"web.net1.shibafu.internal.", 65280, dns.RcodeSuccess, true, nil, []string{soa}},
		// Empty non-terminals exist too (RFC 8020).
		{"net1.shibafu.internal.", dns.TypeA, dns.RcodeSuccess, true, nil, []string{soa}},
		{"_tcp.api.net1.shibafu.internal.", dns.TypeSRV, dns.RcodeSuccess, true, nil,
			[]string{soa}},
		// NXDOMAIN: nothing has that name.
		{"nosuch.net1.shibafu.internal.", dns.TypeA, dns.RcodeNameError, true, nil,
			[]string{soa}},
		{"web.net3.shibafu.internal.", dns.TypeA, dns.RcodeNameError, true, nil,
			[]string{soa}},
		// Single labels never leave the host; other names need a
		// forwarder, and there is none.
		{"web.", dns.TypeA, dns.RcodeNameError, false, nil, nil},
		{"example.com.", dns.TypeA, dns.RcodeRefused, false, nil, nil},
		{"9.9.9.10.in-addr.arpa.", dns.TypePTR, dns.RcodeRefused, false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+dns.TypeToString[tt.qtype], func(t *testing.T) {
			resp := ask(t, addr, query{name: tt.name, qtype: tt.qtype})
			assert.Equal(t, dns.RcodeToString[tt.rcode], dns.RcodeToString[resp.Rcode])
			assert.Equal(t, tt.aa, resp.Authoritative)
			assert.ElementsMatch(t, tt.answer, answers(resp.Answer))
			assert.Equal(t, tt.ns, answers(resp.Ns))
			for _, rr := range resp.Answer {
				assert.Equal(t, tt.name, rr.Header().Name, "owner as the client spelled it")
				assert.EqualValues(t, DefaultTTL, rr.Header().Ttl)
			}
		})
	}
}

// TestSRVAdditional checks that an SRV answer brings its targets'
// addresses along.
func TestSRVAdditional(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t)})
	resp := ask(t, addr, query{name: "_http._tcp.api.net1.shibafu.internal.",
		qtype: dns.TypeSRV})
	assert.ElementsMatch(t, []string{"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13"},
		answers(resp.Extra))
}

// TestRotation checks that successive queries for a service start with
// each replica in turn.
func TestRotation(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t)})
	var firsts []string
	for range 3 {
		resp := ask(t, addr, query{name: "api.net1.shibafu.internal.", qtype: dns.TypeA})
		require.Len(t, resp.Answer, 3)
		firsts = append(firsts, rrString(resp.Answer[0]))
	}
	assert.ElementsMatch(t, []string{"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13"}, firsts)
}

// TestTTL checks that the TTL is configurable, for answers and SOA.
func TestTTL(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t), TTL: 42})
	resp := ask(t, addr, query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
	require.Len(t, resp.Answer, 1)
	assert.EqualValues(t, 42, resp.Answer[0].Header().Ttl)

	resp = ask(t, addr, query{name: "nosuch.net1.shibafu.internal.", qtype: dns.TypeA})
	require.Len(t, resp.Ns, 1)
	soa := resp.Ns[0].(*dns.SOA)
	assert.EqualValues(t, 42, soa.Hdr.Ttl)
	assert.EqualValues(t, 42, soa.Minttl)
}

// TestBadQueries checks the RCODE of queries the server cannot answer.
func TestBadQueries(t *testing.T) {
	h := &Handler{Zone: testZone(t)}
	addr := serve(t, h)
	tests := []struct {
		name  string
		edit  func(*dns.Msg)
		rcode int
	}{
		{"chaos class", func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS },
			dns.RcodeRefused},
		{"notify opcode", func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify },
			dns.RcodeNotImplemented},
		{"update opcode", func(m *dns.Msg) { m.Opcode = dns.OpcodeUpdate },
			dns.RcodeNotImplemented},
		{"two questions", func(m *dns.Msg) { m.Question = append(m.Question, m.Question[0]) },
			dns.RcodeFormatError},
		{"no question", func(m *dns.Msg) { m.Question = nil }, dns.RcodeFormatError},
		{"EDNS version 1", func(m *dns.Msg) { m.SetEdns0(1232, false); m.IsEdns0().SetVersion(1) },
			dns.RcodeBadVers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := new(dns.Msg)
			req.SetQuestion("web.net1.shibafu.internal.", dns.TypeA)
			tt.edit(req)
			resp, _, err := (&dns.Client{Timeout: 3e9}).Exchange(req, addr)
			require.NoError(t, err)
			assert.Equal(t, dns.RcodeToString[tt.rcode], dns.RcodeToString[resp.Rcode])
			assert.Empty(t, resp.Answer)
		})
	}
}

// TestMalformedPackets sends bytes that are not DNS messages. The
// server must answer FORMERR when it can read a header, stay silent
// when it cannot, and keep serving either way.
func TestMalformedPackets(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t)})
	for _, pkt := range [][]byte{
		{},
		{0x12},
		{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
		{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'a'},
		append([]byte{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c},
			0, 1, 0, 1), // a compression pointer to itself
	} {
		sendRaw(t, addr, pkt)
	}
	resp := ask(t, addr, query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
	assert.Equal(t, []string{"A 10.1.0.2"}, answers(resp.Answer), "still serving")
}

// TestOversizedNames checks names at and past the 255-octet limit of
// RFC 1035 section 2.3.4: the longest legal one is an ordinary
// NXDOMAIN, a longer one cannot even be sent.
func TestOversizedNames(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t)})
	label := strings.Repeat("a", 63)
	longest := label + "." + label + "." + label + "." + strings.Repeat("b", 44) + "." + Domain
	require.Len(t, longest, 254)
	resp := ask(t, addr, query{name: longest, qtype: dns.TypeA})
	assert.Equal(t, dns.RcodeNameError, resp.Rcode)

	req := new(dns.Msg)
	req.SetQuestion("b"+longest, dns.TypeA)
	_, err := req.Pack()
	assert.Error(t, err, "miekg/dns refuses to pack a name over 255 octets")
}
