package dns

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// serve starts a Server with h on a free loopback port, stopped when
// the test ends, and returns its address.
func serve(t *testing.T, h dns.Handler) string {
	t.Helper()
	return serveOn(t, h, "127.0.0.1:0")
}

func serveOn(t *testing.T, h dns.Handler, addr string) string {
	t.Helper()
	s := &Server{Handler: h}
	bound, err := s.Listen(addr)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return bound.String()
}

// query is one question for ask, with the way it is sent.
type query struct {
	name  string
	qtype uint16
	net   string     // "udp" (the default) or "tcp"
	edns  uint16     // EDNS0 UDP size to advertise; 0 sends no OPT
	from  netip.Addr // source address; the zero Addr lets the kernel pick
}

// ask sends q to the server at addr and returns the response.
func ask(t *testing.T, addr string, q query) *dns.Msg {
	t.Helper()
	req := new(dns.Msg)
	req.SetQuestion(q.name, q.qtype)
	if q.edns != 0 {
		req.SetEdns0(q.edns, false)
	}
	c := &dns.Client{Net: q.net, Timeout: 3 * time.Second}
	if q.from.IsValid() {
		c.Dialer = &net.Dialer{Timeout: 3 * time.Second, LocalAddr: localAddr(q)}
	}
	resp, _, err := c.Exchange(req, addr)
	require.NoError(t, err)
	require.Equal(t, req.Id, resp.Id)
	return resp
}

func localAddr(q query) net.Addr {
	if q.net == "tcp" {
		return &net.TCPAddr{IP: q.from.AsSlice()}
	}
	return &net.UDPAddr{IP: q.from.AsSlice()}
}

// answers renders the answer section as "TYPE DATA" strings, such as
// "A 10.0.0.2", without names or TTLs.
func answers(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		out = append(out, rrString(rr))
	}
	return out
}

func rrString(rr dns.RR) string {
	hdr := rr.Header()
	full := rr.String()
	data := full[len(hdr.String()):]
	return dns.TypeToString[hdr.Rrtype] + " " + data
}

// testZone is a zone of two networks: web and db on net1, a service
// "api" of three replicas with an http port, and "other" on net2.
func testZone(t testing.TB) *Zone {
	t.Helper()
	z := &Zone{}
	for _, r := range []Record{
		{Network: "net1", Name: "web", IPs: addrs("10.1.0.2", "fd00::2")},
		{Network: "net1", Name: "db", IPs: addrs("10.1.0.3")},
		{Network: "net1", Name: "api-1", IPs: addrs("10.1.0.11"), Service: "api",
			Ports: []Port{{Name: "http", Number: 8080, Proto: "tcp"}}},
		{Network: "net1", Name: "api-2", IPs: addrs("10.1.0.12"), Service: "api",
			Ports: []Port{{Name: "http", Number: 8080, Proto: "tcp"}}},
		{Network: "net1", Name: "api-3", IPs: addrs("10.1.0.13"), Service: "api",
			Ports: []Port{{Name: "http", Number: 8080, Proto: "tcp"}}},
		{Network: "net2", Name: "other", IPs: addrs("10.2.0.2")},
	} {
		require.NoError(t, z.Put(r))
	}
	return z
}

func addrs(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}
