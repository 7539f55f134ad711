package dns

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigZone holds a service of 60 replicas: 60 A records need about 1,000
// bytes, more than the 512 of a plain UDP response.
func bigZone(t *testing.T) *Zone {
	t.Helper()
	z := &Zone{}
	for i := range 60 {
		ip := fmt.Sprintf("10.9.0.%d", i+2)
		require.NoError(t, z.Put(Record{Network: "big", Name: fmt.Sprintf("r%d", i),
			IPs: addrs(ip), Service: "many"}))
	}
	return z
}

// TestTruncationAndTCP checks that an answer too big for the client's
// UDP size comes back truncated with TC set, that the same question
// over TCP gets every record, and that EDNS0 raises the UDP limit.
func TestTruncationAndTCP(t *testing.T) {
	addr := serve(t, &Handler{Zone: bigZone(t)})
	const name = "many.big.shibafu.internal."

	resp := ask(t, addr, query{name: name, qtype: dns.TypeA})
	assert.True(t, resp.Truncated, "512-byte UDP answer is truncated")
	assert.Less(t, len(resp.Answer), 60)

	resp = ask(t, addr, query{name: name, qtype: dns.TypeA, net: "tcp"})
	assert.False(t, resp.Truncated)
	assert.Len(t, resp.Answer, 60)

	resp = ask(t, addr, query{name: name, qtype: dns.TypeA, edns: 4096})
	assert.False(t, resp.Truncated, "fits the %d bytes the server allows", MaxUDPSize)
	assert.Len(t, resp.Answer, 60)
	opt := resp.IsEdns0()
	require.NotNil(t, opt, "an EDNS0 query gets an OPT record back")
	assert.EqualValues(t, MaxUDPSize, opt.UDPSize())
}

// TestNoOPTWithoutEDNS checks that a plain query gets no OPT record.
func TestNoOPTWithoutEDNS(t *testing.T) {
	addr := serve(t, &Handler{Zone: testZone(t)})
	resp := ask(t, addr, query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
	assert.Nil(t, resp.IsEdns0())
}

// sendRaw sends pkt over UDP and waits briefly for any answer, which it
// returns (nil if none came).
func sendRaw(t *testing.T, addr string, pkt []byte) []byte {
	t.Helper()
	conn, err := net.Dial("udp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write(pkt)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
	buf := make([]byte, 1500)
	n, err := conn.Read(buf)
	if err != nil {
		return nil
	}
	return buf[:n]
}

// TestWildcardAnswersFromAddressAsked checks that a server listening on
// 0.0.0.0 answers from the address each query was sent to: a client
// that asked 127.0.0.2 ignores an answer from 127.0.0.1.
func TestWildcardAnswersFromAddressAsked(t *testing.T) {
	addr := serveOn(t, &Handler{Zone: testZone(t)}, "0.0.0.0:0")
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	for _, ip := range []string{"127.0.0.1", "127.0.0.2"} {
		resp := ask(t, net.JoinHostPort(ip, port),
			query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
		assert.Equal(t, []string{"A 10.1.0.2"}, answers(resp.Answer), "asked %s", ip)
	}
}

// TestUDPAnswersLikeMiekg checks that the server's own UDP loop answers
// every kind of packet, good or bad, byte for byte as miekg/dns's
// Server would, which it replaced for speed.
func TestUDPAnswersLikeMiekg(t *testing.T) {
	h := &Handler{Zone: testZone(t)}
	ours := serve(t, h)
	theirs := serveMiekgUDP(t, h)

	query := func(mod func(*dns.Msg)) []byte {
		m := new(dns.Msg)
		m.SetQuestion("web.net1.shibafu.internal.", dns.TypeA)
		m.Id = 0x1234
		mod(m)
		pkt, err := m.Pack()
		require.NoError(t, err)
		return pkt
	}
	header := []byte{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0}
	for _, tt := range []struct {
		name     string
		pkt      []byte
		answered bool
	}{
		{"query", query(func(*dns.Msg) {}), true},
		{"edns", query(func(m *dns.Msg) { m.SetEdns0(4096, true) }), true},
		{"response", query(func(m *dns.Msg) { m.Response = true }), false},
		{"update", query(func(m *dns.Msg) { m.Opcode = dns.OpcodeUpdate }), true},
		{"notify", query(func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify }), true},
		{"two questions", query(func(m *dns.Msg) {
			m.Question = append(m.Question, m.Question[0])
		}), true},
		{"no question", query(func(m *dns.Msg) { m.Zero = true; m.Question = nil }), true},
		{"header only", header, true},
		{"cut name", append(header, 0x3f, 'a'), true},
		{"pointer loop", append(header, 0xc0, 0x0c, 0, 1, 0, 1), true},
		{"short", header[:5], false},
	} {
		want, got := sendRaw(t, theirs, tt.pkt), sendRaw(t, ours, tt.pkt)
		assert.Equal(t, tt.answered, want != nil, "%s: miekg/dns answers", tt.name)
		assert.Equal(t, want, got, tt.name)
	}
}

// serveMiekgUDP serves h over UDP with miekg/dns's Server, the way this
// package did before it had a UDP loop of its own.
func serveMiekgUDP(t *testing.T, h dns.Handler) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: h, UDPSize: MaxUDPSize,
		NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { require.NoError(t, srv.Shutdown()) })
	return pc.LocalAddr().String()
}

// TestDeadUpstreamHoldsNoWorker sends many more forwarded queries than a
// socket has workers to an upstream that never answers, then asks for a
// zone name: it must be answered at once, not after the forward timeout.
func TestDeadUpstreamHoldsNoWorker(t *testing.T) {
	fwd := &Forwarder{Upstreams: []string{blackhole(t)}, Timeout: 2 * time.Second}
	addr := serve(t, &Handler{Zone: testZone(t), Forwarder: fwd})

	conn, err := net.Dial("udp", addr)
	require.NoError(t, err)
	defer conn.Close()
	for i := range 4 * udpWorkers {
		m := new(dns.Msg)
		m.SetQuestion(fmt.Sprintf("q%d.example.", i), dns.TypeA)
		out, err := m.Pack()
		require.NoError(t, err)
		_, err = conn.Write(out)
		require.NoError(t, err)
	}

	start := time.Now()
	resp := ask(t, addr, query{name: "web.net1.shibafu.internal.", qtype: dns.TypeA})
	assert.Equal(t, []string{"A 10.1.0.2"}, answers(resp.Answer))
	assert.Less(t, time.Since(start), time.Second, "the zone name did not wait for the upstream")
}
