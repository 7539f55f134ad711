package dns

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// BenchmarkServeDNS measures the handler alone, without sockets, for a
// zone name and for a forwarded name answered from the cache. The
// whole server is measured by scripts/bench-phase6.sh with dnsperf.
func BenchmarkServeDNS(b *testing.B) {
	zone := &Zone{}
	if err := zone.Put(Record{Network: "net1", Name: "api", IPs: addrs("10.1.0.2")}); err != nil {
		b.Fatal(err)
	}
	cache := &Cache{}
	cache.Put(question("ext.example."), false,
		answerMsg("ext.example.", "ext.example. 3600 IN A 192.0.2.1"), time.Now())
	h := &Handler{Zone: zone, Views: &Views{}, Forwarder: &Forwarder{Cache: cache}}

	for _, name := range []string{"api.net1.shibafu.internal.", "ext.example."} {
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
