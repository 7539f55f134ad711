package dns

import (
	"net"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
)

// FuzzServeDNS feeds the query handler any message miekg/dns can
// parse, from a client inside a network's view, and checks that it
// writes exactly one response that packs, fits the client's UDP size
// and answers the right ID. The corpus in testdata/fuzz/FuzzServeDNS
// keeps the seeds; run `go test -fuzz FuzzServeDNS` to search further.
func FuzzServeDNS(f *testing.F) {
	for _, q := range []struct {
		name  string
		qtype uint16
	}{
		{"web.", dns.TypeA},
		{"api.net1.shibafu.internal.", dns.TypeA},
		{"_http._tcp.api.net1.shibafu.internal.", dns.TypeSRV},
		{"2.0.1.10.in-addr.arpa.", dns.TypePTR},
		{"shibafu.internal.", dns.TypeANY},
		{"example.com.", dns.TypeMX},
	} {
		m := new(dns.Msg)
		m.SetQuestion(q.name, q.qtype)
		m.SetEdns0(4096, true)
		pkt, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(pkt)
	}

	views := &Views{}
	views.Set(View{Network: "net1", Subnet: netip.MustParsePrefix("10.1.0.0/24")})
	zone := &Zone{}
	for _, r := range []Record{
		{Network: "net1", Name: "web", IPs: addrs("10.1.0.2", "fd00::2")},
		{Network: "net1", Name: "api-1", IPs: addrs("10.1.0.11"), Service: "api",
			Ports: []Port{{Name: "http", Number: 80, Proto: "tcp"}}},
	} {
		if err := zone.Put(r); err != nil {
			f.Fatal(err)
		}
	}
	h := &Handler{Zone: zone, Views: views, Forwarder: &Forwarder{}}

	f.Fuzz(func(t *testing.T, pkt []byte) {
		req := new(dns.Msg)
		if err := req.Unpack(pkt); err != nil {
			return // the server answers FORMERR before any handler runs
		}
		w := &recorder{remote: &net.UDPAddr{IP: net.IPv4(10, 1, 0, 5), Port: 5353}}
		h.ServeDNS(w, req)

		if len(w.msgs) != 1 {
			t.Fatalf("wrote %d responses, want 1", len(w.msgs))
		}
		resp := w.msgs[0]
		out, err := resp.Pack()
		if err != nil {
			t.Fatalf("response does not pack: %v\n%s", err, resp)
		}
		if len(out) > udpSize(req) {
			t.Fatalf("response of %d bytes over UDP size %d", len(out), udpSize(req))
		}
		if resp.Id != req.Id || !resp.Response {
			t.Fatalf("response is not a reply to %d: %s", req.Id, resp)
		}
	})
}

// recorder is a dns.ResponseWriter that keeps what is written, for a
// client at remote talking over UDP.
type recorder struct {
	remote net.Addr
	msgs   []*dns.Msg
}

func (r *recorder) LocalAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(10, 1, 0, 1), Port: 53}
}
func (r *recorder) RemoteAddr() net.Addr        { return r.remote }
func (r *recorder) WriteMsg(m *dns.Msg) error   { r.msgs = append(r.msgs, m); return nil }
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *recorder) Close() error                { return nil }
func (r *recorder) TsigStatus() error           { return nil }
func (r *recorder) TsigTimersOnly(bool)         {}
func (r *recorder) Hijack()                     {}
