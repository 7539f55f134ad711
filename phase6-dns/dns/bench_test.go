package dns

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// benchHandler answers a zone name, api.net1.shibafu.internal., and
// has a forwarded name, ext.example., in its cache.
func benchHandler(b *testing.B) *Handler {
	b.Helper()
	zone := &Zone{}
	if err := zone.Put(Record{Network: "net1", Name: "api", IPs: addrs("10.1.0.2")}); err != nil {
		b.Fatal(err)
	}
	cache := &Cache{}
	cache.Put(question("ext.example."), false,
		answerMsg("ext.example.", "ext.example. 3600 IN A 192.0.2.1"), time.Now())
	return &Handler{Zone: zone, Views: &Views{}, Forwarder: &Forwarder{Cache: cache}}
}

var benchNames = []string{"api.net1.shibafu.internal.", "ext.example."}

// BenchmarkServeDNS measures the general path of the handler alone,
// without sockets, for a zone name and for a forwarded name answered
// from the cache. The whole server is measured by BenchmarkUDP, and
// against dnsmasq by scripts/bench-phase6.sh with dnsperf.
func BenchmarkServeDNS(b *testing.B) {
	h := benchHandler(b)
	for _, name := range benchNames {
		b.Run(name, func(b *testing.B) {
			req := new(dns.Msg)
			req.SetQuestion(name, dns.TypeA)
			w := &recorder{remote: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}}
			b.ReportAllocs()
			for b.Loop() {
				w.msgs = w.msgs[:0]
				h.ServeDNS(w, req)
				if _, err := w.msgs[0].Pack(); err != nil || len(w.msgs[0].Answer) != 1 {
					b.Fatalf("bad answer: %v %v", err, w.msgs[0])
				}
			}
		})
	}
}

// BenchmarkServeWire measures the fast path that the UDP workers try
// first (wire.go), for the same two names as BenchmarkServeDNS.
func BenchmarkServeWire(b *testing.B) {
	h := benchHandler(b)
	src := netip.MustParseAddr("127.0.0.1")
	out := make([]byte, MaxUDPSize)
	for _, name := range benchNames {
		b.Run(name, func(b *testing.B) {
			req := new(dns.Msg)
			req.SetQuestion(name, dns.TypeA)
			pkt, err := req.Pack()
			if err != nil {
				b.Fatal(err)
			}
			// The general path answers what serveWire leaves, as in the
			// server: here a cached answer once a second, to age it.
			w := &recorder{remote: &net.UDPAddr{IP: src.AsSlice()}}
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := h.serveWire(out, pkt, src); !ok {
					w.msgs = w.msgs[:0]
					h.ServeDNS(w, req)
				}
			}
		})
	}
}

// BenchmarkUDP measures queries through a real server on loopback:
// several clients at once, each sending a query and waiting for its
// answer, so that the time includes the kernel's and the workers'.
func BenchmarkUDP(b *testing.B) {
	s := &Server{Handler: benchHandler(b)}
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, name := range benchNames {
		req := new(dns.Msg)
		req.SetQuestion(name, dns.TypeA)
		pkt, err := req.Pack()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				conn, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(addr))
				if err != nil {
					b.Error(err)
					return
				}
				defer conn.Close()
				buf := make([]byte, MaxUDPSize)
				for pb.Next() {
					if _, err := conn.Write(pkt); err != nil {
						b.Error(err)
						return
					}
					if _, err := conn.Read(buf); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
