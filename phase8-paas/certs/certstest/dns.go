package certstest

import (
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// DNS is a DNS server for pebble: every A question is answered with
// 127.0.0.1, unless Set gave the name another address; AAAA questions
// get no answer, so that pebble validates over IPv4.
type DNS struct {
	// Addr is its UDP HOST:PORT.
	Addr string

	mu    sync.Mutex
	addrs map[string]net.IP
}

// StartDNS serves on a free loopback port until the test ends.
func StartDNS(t *testing.T) *DNS {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &DNS{Addr: pc.LocalAddr().String(), addrs: map[string]net.IP{}}
	srv := &dns.Server{PacketConn: pc, Handler: d}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return d
}

// Set makes name resolve to ip.
func (d *DNS) Set(name string, ip net.IP) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs[dns.Fqdn(strings.ToLower(name))] = ip
}

// ServeDNS answers one query.
func (d *DNS) ServeDNS(w dns.ResponseWriter, q *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(q)
	for _, question := range q.Question {
		if question.Qtype != dns.TypeA {
			continue
		}
		d.mu.Lock()
		ip, ok := d.addrs[strings.ToLower(question.Name)]
		d.mu.Unlock()
		if !ok {
			ip = net.IPv4(127, 0, 0, 1)
		}
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: question.Name,
			Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0}, A: ip})
	}
	w.WriteMsg(m)
}
