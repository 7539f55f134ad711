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
