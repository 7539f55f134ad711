package dns

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireHandler is a handler over testZone, with a view for net1 and a
// cache that holds answers for ext.example. (A) and gone.example.
// (NXDOMAIN), as a forwarder would have kept them.
func wireHandler(t testing.TB) *Handler {
	t.Helper()
	z := testZone(t)
	views := &Views{}
	views.Set(View{Network: "net1", Subnet: netip.MustParsePrefix("10.1.0.0/24")})

	cache := &Cache{}
	ext := answerMsg("ext.example.", "ext.example. 300 IN A 192.0.2.1",
		"ext.example. 300 IN A 192.0.2.2")
	ext.AuthenticatedData = true
	cache.Put(question("ext.example."), false, ext, time.Now())
	gone := answerMsg("gone.example.")
	gone.Rcode = dns.RcodeNameError
	gone.Ns = []dns.RR{mustRR("example. 600 IN SOA ns.example. h.example. 1 2 3 4 30")}
	cache.Put(question("gone.example."), false, gone, time.Now())
	return &Handler{Zone: z, Views: views, Forwarder: &Forwarder{Cache: cache}}
}

// serveSlow answers pkt with the general path, as the UDP server does
// when serveWire declines: decode, ServeDNS, encode. It returns nil for
// a packet that does not decode.
func serveSlow(t testing.TB, h *Handler, pkt []byte, src netip.Addr) []byte {
	t.Helper()
	req := new(dns.Msg)
	if req.Unpack(pkt) != nil {
		return nil
	}
	w := &recorder{remote: net.UDPAddrFromAddrPort(netip.AddrPortFrom(src, 5353))}
	h.ServeDNS(w, req)
	require.Len(t, w.msgs, 1)
	out, err := w.msgs[0].Pack()
	require.NoError(t, err)
	return out
}

// TestServeWireMatchesServeDNS checks that serveWire answers what it
// should, byte for byte as the general path does, and leaves the rest.
func TestServeWireMatchesServeDNS(t *testing.T) {
	h := wireHandler(t)
	host, inNet1 := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("10.1.0.5")
	tests := []struct {
		name  string
		qtype uint16
		src   netip.Addr
		mod   func(*dns.Msg)
		fast  bool
	}{
		{"web.net1.shibafu.internal.", dns.TypeA, host, nil, true},
		{"web.net1.shibafu.internal.", dns.TypeAAAA, host, nil, true},
		{"WeB.NeT1.shibafu.INTERNAL.", dns.TypeA, host, nil, true},
		{"web.net1.shibafu.internal.", dns.TypeA, inNet1, nil, true},
		{"web.net1.shibafu.internal.", dns.TypeA, host,
			func(m *dns.Msg) { m.SetEdns0(4096, true) }, true},
		{"web.net1.shibafu.internal.", dns.TypeA, host,
			func(m *dns.Msg) { m.RecursionDesired, m.CheckingDisabled = false, true }, true},
		{"ext.example.", dns.TypeA, host, nil, true},
		{"EXT.example.", dns.TypeA, inNet1, nil, true},
		{"ext.example.", dns.TypeA, host, func(m *dns.Msg) { m.SetEdns0(1232, false) }, true},
		{"gone.example.", dns.TypeA, host, nil, true},
		// Left to the general path: other networks' names, NODATA,
		// NXDOMAIN, other types, short and reverse names, names not in
		// the cache, the answer with DNSSEC records, odd shapes.
		{"other.net2.shibafu.internal.", dns.TypeA, inNet1, nil, false},
		{"db.net1.shibafu.internal.", dns.TypeAAAA, host, nil, false},
		{"nosuch.net1.shibafu.internal.", dns.TypeA, host, nil, false},
		{"_http._tcp.api.net1.shibafu.internal.", dns.TypeSRV, host, nil, false},
		{"shibafu.internal.", dns.TypeA, host, nil, false},
		{"web.", dns.TypeA, inNet1, nil, false},
		{"_http._tcp.api.", dns.TypeA, inNet1, nil, false},
		{"2.0.1.10.in-addr.arpa.", dns.TypeA, host, nil, false},
		{"new.example.", dns.TypeA, host, nil, false},
		{"ext.example.", dns.TypeA, host, func(m *dns.Msg) { m.SetEdns0(1232, true) }, false},
		{"ext.example.", dns.TypeA, host, func(m *dns.Msg) {
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_COOKIE{Code: 10, Cookie: "0123456789abcdef"}}
		}, false},
		{"ext.example.", dns.TypeA, host, func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify }, false},
		{"ext.example.", dns.TypeA, host,
			func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS }, false},
		{"ext.example.", dns.TypeA, host,
			func(m *dns.Msg) { m.Question[0].Name = `e\.xt.example.` }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+dns.TypeToString[tt.qtype], func(t *testing.T) {
			m := new(dns.Msg)
			m.SetQuestion(tt.name, tt.qtype)
			m.Id = 0xbeef
			if tt.mod != nil {
				tt.mod(m)
			}
			pkt, err := m.Pack()
			require.NoError(t, err)

			slow := serveSlow(t, h, pkt, tt.src) // fills the cache's packed answers
			fast, ok := h.serveWire(make([]byte, 4*MaxUDPSize), pkt, tt.src)
			require.Equal(t, tt.fast, ok, "answered by serveWire")
			if ok {
				assert.Equal(t, slow, fast)
			}
		})
	}
}

// TestServeWireRotates checks that the addresses of a service come in
// turn from serveWire too, and that serveWire and the general path
// share the turns.
func TestServeWireRotates(t *testing.T) {
	h := &Handler{Zone: testZone(t)}
	m := new(dns.Msg)
	m.SetQuestion("api.net1.shibafu.internal.", dns.TypeA)
	pkt, err := m.Pack()
	require.NoError(t, err)
	src := netip.MustParseAddr("127.0.0.1")

	var firsts []string
	for i := range 6 {
		var out []byte
		if i%2 == 0 {
			var ok bool
			out, ok = h.serveWire(make([]byte, MaxUDPSize), pkt, src)
			require.True(t, ok)
		} else {
			out = serveSlow(t, h, pkt, src)
		}
		resp := new(dns.Msg)
		require.NoError(t, resp.Unpack(out))
		require.Len(t, resp.Answer, 3)
		firsts = append(firsts, rrString(resp.Answer[0]))
	}
	assert.Equal(t, []string{"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13",
		"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13"}, firsts)
}

// TestServeWireCountsDown checks that a cached answer from serveWire
// has its TTLs lowered by the time it spent in the cache.
func TestServeWireCountsDown(t *testing.T) {
	cache := &Cache{}
	cache.Put(question("ext.example."), false,
		answerMsg("ext.example.", "ext.example. 300 IN A 192.0.2.1"), time.Now().Add(-7*time.Second))
	h := &Handler{Forwarder: &Forwarder{Cache: cache}}
	m := new(dns.Msg)
	m.SetQuestion("ext.example.", dns.TypeA)
	pkt, err := m.Pack()
	require.NoError(t, err)
	src := netip.MustParseAddr("127.0.0.1")

	serveSlow(t, h, pkt, src)
	out, ok := h.serveWire(make([]byte, MaxUDPSize), pkt, src)
	require.True(t, ok)
	resp := new(dns.Msg)
	require.NoError(t, resp.Unpack(out))
	require.Len(t, resp.Answer, 1)
	assert.InDelta(t, 293, resp.Answer[0].Header().Ttl, 1)
}

// FuzzServeWire checks that whatever serveWire answers, the general
// path answers the same, byte for byte, and that serveWire never
// answers a packet that does not decode.
func FuzzServeWire(f *testing.F) {
	for _, q := range []struct {
		name  string
		qtype uint16
		edns  bool
	}{
		{"web.net1.shibafu.internal.", dns.TypeA, false},
		{"web.net1.shibafu.internal.", dns.TypeAAAA, true},
		{"ext.example.", dns.TypeA, false},
		{"gone.example.", dns.TypeA, true},
		{"web.", dns.TypeA, false},
	} {
		m := new(dns.Msg)
		m.SetQuestion(q.name, q.qtype)
		if q.edns {
			m.SetEdns0(1232, false)
		}
		pkt, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(pkt)
	}
	h := wireHandler(f)
	src := netip.MustParseAddr("10.1.0.5")

	f.Fuzz(func(t *testing.T, pkt []byte) {
		slow := serveSlow(t, h, pkt, src)
		fast, ok := h.serveWire(make([]byte, 4*MaxUDPSize), pkt, src)
		if !ok {
			return
		}
		if slow == nil {
			t.Fatalf("serveWire answered a packet that does not decode: %x", pkt)
		}
		if string(slow) != string(fast) {
			t.Fatalf("answers differ for %x:\nslow %x\nfast %x", pkt, slow, fast)
		}
	})
}
