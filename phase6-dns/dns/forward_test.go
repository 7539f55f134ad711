package dns

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// upstream is a resolver the test starts on loopback in place of the
// host's: it answers a few names and counts the queries it gets.
type upstream struct {
	mu    sync.Mutex
	asked map[string]int
}

func (u *upstream) count(name string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.asked[name]
}

func (u *upstream) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	q := req.Question[0]
	u.mu.Lock()
	u.asked[q.Name+"/"+w.RemoteAddr().Network()]++
	u.asked[q.Name]++
	u.mu.Unlock()

	resp := new(dns.Msg)
	resp.SetReply(req)
	resp.RecursionAvailable = true
	switch q.Name {
	case "ext.example.":
		resp.Answer = []dns.RR{mustRR("ext.example. 300 IN A 192.0.2.1")}
	case "many.example.":
		for i := range 100 {
			rr := mustRR(fmt.Sprintf("many.example. 60 IN A 192.0.2.%d", i))
			resp.Answer = append(resp.Answer, rr)
		}
	case "short.example.":
		resp.Answer = []dns.RR{mustRR("short.example. 1 IN A 192.0.2.9")}
	case "broken.example.":
		resp.Rcode = dns.RcodeServerFailure
	default:
		resp.Rcode = dns.RcodeNameError
		resp.Ns = []dns.RR{mustRR("example. 60 IN SOA ns.example. h.example. 1 2 3 4 30")}
	}
	if _, udp := w.LocalAddr().(*net.UDPAddr); udp {
		resp.Truncate(udpSize(req))
	}
	w.WriteMsg(resp)
}

func mustRR(s string) dns.RR {
	rr, err := dns.NewRR(s)
	if err != nil {
		panic(err)
	}
	return rr
}

// startUpstream starts an upstream on a free loopback port.
func startUpstream(t *testing.T) (*upstream, string) {
	t.Helper()
	u := &upstream{asked: map[string]int{}}
	return u, serve(t, u)
}

// blackhole returns the address of a UDP socket that never answers, an
// upstream that is down without saying so.
func blackhole(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}

func TestForwardPassesAnswersThrough(t *testing.T) {
	_, up := startUpstream(t)
	addr := serve(t, &Handler{Zone: testZone(t), Forwarder: &Forwarder{Upstreams: []string{up}}})

	resp := ask(t, addr, query{name: "ext.example.", qtype: dns.TypeA})
	assert.Equal(t, dns.RcodeSuccess, resp.Rcode)
	assert.True(t, resp.RecursionAvailable)
	assert.False(t, resp.Authoritative)
	assert.Equal(t, []string{"A 192.0.2.1"}, answers(resp.Answer))

	resp = ask(t, addr, query{name: "nope.example.", qtype: dns.TypeA})
	assert.Equal(t, dns.RcodeNameError, resp.Rcode)
	assert.Len(t, resp.Ns, 1, "the upstream's SOA comes along")

	resp = ask(t, addr, query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
	assert.Equal(t, []string{"A 10.1.0.2"}, answers(resp.Answer), "the zone is not forwarded")
}

// TestForwardCaches checks that repeated questions within the TTL reach
// the upstream once, positive and negative ones alike, and that a
// cached answer's TTL counts down.
func TestForwardCaches(t *testing.T) {
	u, up := startUpstream(t)
	fwd := &Forwarder{Upstreams: []string{up}, Cache: &Cache{}}
	addr := serve(t, &Handler{Forwarder: fwd})

	for _, name := range []string{"ext.example.", "nope.example."} {
		for range 5 {
			ask(t, addr, query{name: name, qtype: dns.TypeA})
		}
		assert.Equal(t, 1, u.count(name), name)
	}
	assert.Equal(t, 2, fwd.Cache.Len())

	resp := ask(t, addr, query{name: "ext.example.", qtype: dns.TypeA})
	require.Len(t, resp.Answer, 1)
	assert.LessOrEqual(t, resp.Answer[0].Header().Ttl, uint32(300))
}

// TestForwardCacheShared checks that many clients at once get correct
// answers from one cached answer, which they share (run it with -race).
func TestForwardCacheShared(t *testing.T) {
	_, up := startUpstream(t)
	addr := serve(t, &Handler{Forwarder: &Forwarder{Upstreams: []string{up}, Cache: &Cache{}}})
	ask(t, addr, query{name: "ext.example.", qtype: dns.TypeA})

	// Not ask: require may stop only the test's own goroutine.
	req := new(dns.Msg).SetQuestion("ext.example.", dns.TypeA)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			c := &dns.Client{Timeout: 3 * time.Second}
			for range 20 {
				resp, _, err := c.Exchange(req, addr)
				if assert.NoError(t, err) {
					assert.Len(t, resp.Answer, 1)
				}
			}
		})
	}
	wg.Wait()
}

// TestForwardCacheExpires checks that an answer is asked for again once
// its TTL has run out.
func TestForwardCacheExpires(t *testing.T) {
	u, up := startUpstream(t)
	addr := serve(t, &Handler{Forwarder: &Forwarder{Upstreams: []string{up}, Cache: &Cache{}}})

	ask(t, addr, query{name: "short.example.", qtype: dns.TypeA})
	ask(t, addr, query{name: "short.example.", qtype: dns.TypeA})
	assert.Equal(t, 1, u.count("short.example."))
	time.Sleep(1100 * time.Millisecond)
	ask(t, addr, query{name: "short.example.", qtype: dns.TypeA})
	assert.Equal(t, 2, u.count("short.example."))
}

// TestForwardRetriesOverTCP checks that an upstream answer truncated
// over UDP is fetched again over TCP, and reaches a TCP client whole.
func TestForwardRetriesOverTCP(t *testing.T) {
	u, up := startUpstream(t)
	addr := serve(t, &Handler{Forwarder: &Forwarder{Upstreams: []string{up}}})

	resp := ask(t, addr, query{name: "many.example.", qtype: dns.TypeA, net: "tcp"})
	assert.Len(t, resp.Answer, 100)
	assert.Equal(t, 1, u.count("many.example./udp"))
	assert.Equal(t, 1, u.count("many.example./tcp"))

	resp = ask(t, addr, query{name: "many.example.", qtype: dns.TypeA})
	assert.True(t, resp.Truncated, "a plain UDP client still gets TC")
}

// TestForwardFailure checks that an upstream that is down, or that
// fails, gives the client SERVFAIL within the forwarder's timeout, and
// that a second upstream is tried after a dead first one.
func TestForwardFailure(t *testing.T) {
	_, good := startUpstream(t)
	dead := blackhole(t)
	tests := []struct {
		name      string
		upstreams []string
		qname     string
		rcode     int
	}{
		{"silent upstream", []string{dead}, "ext.example.", dns.RcodeServerFailure},
		{"refused port", []string{closedPort(t)}, "ext.example.", dns.RcodeServerFailure},
		{"upstream SERVFAIL", []string{good}, "broken.example.", dns.RcodeServerFailure},
		{"dead, then good", []string{dead, good}, "ext.example.", dns.RcodeSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const timeout = 400 * time.Millisecond
			fwd := &Forwarder{Upstreams: tt.upstreams, Timeout: timeout, Cache: &Cache{}}
			addr := serve(t, &Handler{Forwarder: fwd})

			start := time.Now()
			resp := ask(t, addr, query{name: tt.qname, qtype: dns.TypeA})
			assert.Less(t, time.Since(start), timeout+300*time.Millisecond)
			assert.Equal(t, dns.RcodeToString[tt.rcode], dns.RcodeToString[resp.Rcode])
		})
	}
}

// closedPort returns a loopback address where nothing listens, so the
// kernel answers with ICMP port unreachable.
func closedPort(t *testing.T) string {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := pc.LocalAddr().String()
	pc.Close()
	return addr
}

// TestUpstreamsFromResolvConf reads the nameservers of a resolv.conf,
// leaving out the server's own address.
func TestUpstreamsFromResolvConf(t *testing.T) {
	path := t.TempDir() + "/resolv.conf"
	conf := ResolvConf{
		Nameservers: []netip.Addr{netip.MustParseAddr("127.0.0.1"),
			netip.MustParseAddr("127.0.0.2")},
		Search: []string{"example"},
	}
	require.NoError(t, conf.WriteFile(path))
	ups, err := Upstreams(path, "127.0.0.1:53")
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.2:53"}, ups)
}
