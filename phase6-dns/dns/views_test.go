package dns

import (
	"net/netip"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
)

// TestViews asks the same server from three source addresses: one in
// net1's subnet, one in net2's and the host's loopback. Loopback is all
// of 127.0.0.0/8 on Linux, so a client can send from 127.71.0.5 and
// stand for a container of net1.
func TestViews(t *testing.T) {
	views := &Views{}
	views.Set(View{Network: "net1", Subnet: netip.MustParsePrefix("127.71.0.0/16")})
	views.Set(View{Network: "net2", Subnet: netip.MustParsePrefix("127.72.0.0/16")})
	addr := serve(t, &Handler{Zone: testZone(t), Views: views})
	net1, net2 := netip.MustParseAddr("127.71.0.5"), netip.MustParseAddr("127.72.0.5")
	host := netip.MustParseAddr("127.0.0.1")

	tests := []struct {
		from   netip.Addr
		name   string
		qtype  uint16
		rcode  int
		answer []string
	}{
		{net1, "web.", dns.TypeA, dns.RcodeSuccess, []string{"A 10.1.0.2"}},
		{net1, "WEB.", dns.TypeA, dns.RcodeSuccess, []string{"A 10.1.0.2"}},
		{net1, "web.net1.shibafu.internal.", dns.TypeA, dns.RcodeSuccess,
			[]string{"A 10.1.0.2"}},
		{net1, "api.", dns.TypeA, dns.RcodeSuccess,
			[]string{"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13"}},
		{net1, "_http._tcp.api.", dns.TypeSRV, dns.RcodeSuccess, []string{
			"SRV 0 10 8080 api-1.net1.shibafu.internal.",
			"SRV 0 10 8080 api-2.net1.shibafu.internal.",
			"SRV 0 10 8080 api-3.net1.shibafu.internal.",
		}},
		// NAME.shibafu.internal is NAME on the client's own networks.
		{net1, "web.shibafu.internal.", dns.TypeA, dns.RcodeSuccess, []string{"A 10.1.0.2"}},
		{net1, "api.shibafu.internal.", dns.TypeA, dns.RcodeSuccess,
			[]string{"A 10.1.0.11", "A 10.1.0.12", "A 10.1.0.13"}},
		{net2, "web.shibafu.internal.", dns.TypeA, dns.RcodeNameError, nil},
		{net1, "other.", dns.TypeA, dns.RcodeNameError, nil},
		{net1, "other.net2.shibafu.internal.", dns.TypeA, dns.RcodeNameError, nil},
		{net1, "net2.shibafu.internal.", dns.TypeA, dns.RcodeNameError, nil},
		{net1, "shibafu.internal.", dns.TypeSOA, dns.RcodeSuccess, []string{
			"SOA ns.shibafu.internal. hostmaster.shibafu.internal. 6 3600 600 86400 5"}},
		// The PTR of a container on another network stays hidden.
		{net1, "2.0.2.10.in-addr.arpa.", dns.TypePTR, dns.RcodeRefused, nil},
		{net2, "other.", dns.TypeA, dns.RcodeSuccess, []string{"A 10.2.0.2"}},
		{net2, "web.", dns.TypeA, dns.RcodeNameError, nil},
		{net2, "2.0.2.10.in-addr.arpa.", dns.TypePTR, dns.RcodeSuccess,
			[]string{"PTR other.net2.shibafu.internal."}},
		// The host sees every network, but has no short names.
		{host, "web.", dns.TypeA, dns.RcodeNameError, nil},
		{host, "web.shibafu.internal.", dns.TypeA, dns.RcodeNameError, nil},
		{host, "other.net2.shibafu.internal.", dns.TypeA, dns.RcodeSuccess,
			[]string{"A 10.2.0.2"}},
		{host, "web.net1.shibafu.internal.", dns.TypeA, dns.RcodeSuccess,
			[]string{"A 10.1.0.2"}},
	}
	for _, tt := range tests {
		for _, network := range []string{"udp", "tcp"} {
			t.Run(tt.from.String()+"/"+tt.name+"/"+network, func(t *testing.T) {
				resp := ask(t, addr, query{name: tt.name, qtype: tt.qtype, from: tt.from,
					net: network})
				assert.Equal(t, dns.RcodeToString[tt.rcode], dns.RcodeToString[resp.Rcode])
				assert.ElementsMatch(t, tt.answer, answers(resp.Answer))
			})
		}
	}
}

// TestReverseZoneOfView checks that the server is authoritative for
// the reverse names of a view's subnet: an address nobody holds gets
// NXDOMAIN with the SOA of that reverse zone.
func TestReverseZoneOfView(t *testing.T) {
	views := &Views{}
	views.Set(View{Network: "net1", Subnet: netip.MustParsePrefix("127.71.0.0/16")})
	addr := serve(t, &Handler{Zone: testZone(t), Views: views})

	resp := ask(t, addr, query{name: "9.9.71.127.in-addr.arpa.", qtype: dns.TypePTR})
	assert.Equal(t, dns.RcodeNameError, resp.Rcode)
	assert.True(t, resp.Authoritative)
	if assert.Len(t, resp.Ns, 1) {
		assert.Equal(t, "71.127.in-addr.arpa.", resp.Ns[0].Header().Name)
	}
}

// TestReverseZoneName checks the cut of reverse zones at whole octets.
func TestReverseZoneName(t *testing.T) {
	for prefix, want := range map[string]string{
		"10.89.0.0/16":   "89.10.in-addr.arpa.",
		"10.214.3.0/24":  "3.214.10.in-addr.arpa.",
		"10.214.3.64/26": "3.214.10.in-addr.arpa.",
		"10.0.0.0/8":     "10.in-addr.arpa.",
		"fd00::/64":      "",
	} {
		assert.Equal(t, want, reverseZone(netip.MustParsePrefix(prefix)), prefix)
	}
}

// TestViewsOfAContainerOnTwoNetworks asks from the net1 address of a
// container that is on net2 too: it sees the names of both networks,
// while another container of net1 still sees only net1's.
func TestViewsOfAContainerOnTwoNetworks(t *testing.T) {
	views := &Views{}
	views.Set(View{Network: "net1", Subnet: netip.MustParsePrefix("127.71.0.0/16")})
	views.Set(View{Network: "net2", Subnet: netip.MustParsePrefix("127.72.0.0/16")})
	z := &Zone{}
	for _, r := range []Record{
		{Network: "net1", Name: "both", IPs: addrs("127.71.0.5")},
		{Network: "net2", Name: "both", IPs: addrs("127.72.0.5")},
		{Network: "net1", Name: "web", IPs: addrs("127.71.0.6")},
		{Network: "net2", Name: "db", IPs: addrs("127.72.0.7")},
	} {
		assert.NoError(t, z.Put(r))
	}
	addr := serve(t, &Handler{Zone: z, Views: views})
	both, web := netip.MustParseAddr("127.71.0.5"), netip.MustParseAddr("127.71.0.6")

	for _, tt := range []struct {
		from   netip.Addr
		name   string
		rcode  int
		answer []string
	}{
		{both, "db.", dns.RcodeSuccess, []string{"A 127.72.0.7"}},
		{both, "db.net2.shibafu.internal.", dns.RcodeSuccess, []string{"A 127.72.0.7"}},
		{both, "web.", dns.RcodeSuccess, []string{"A 127.71.0.6"}},
		{both, "both.", dns.RcodeSuccess, []string{"A 127.71.0.5"}},
		{web, "db.", dns.RcodeNameError, nil},
		{web, "db.net2.shibafu.internal.", dns.RcodeNameError, nil},
	} {
		resp := ask(t, addr, query{name: tt.name, qtype: dns.TypeA, from: tt.from})
		assert.Equal(t, dns.RcodeToString[tt.rcode], dns.RcodeToString[resp.Rcode],
			"%s from %s", tt.name, tt.from)
		assert.ElementsMatch(t, tt.answer, answers(resp.Answer), "%s from %s", tt.name, tt.from)
	}
}
