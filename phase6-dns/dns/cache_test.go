package dns

import (
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func answerMsg(name string, rrs ...string) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	m.Response = true
	for _, s := range rrs {
		m.Answer = append(m.Answer, mustRR(s))
	}
	return m
}

func question(name string) dns.Question {
	return dns.Question{Name: name, Qtype: dns.TypeA, Qclass: dns.ClassINET}
}

// TestCacheLifetimes checks how long each kind of answer is kept.
func TestCacheLifetimes(t *testing.T) {
	nx := answerMsg("x.example.")
	nx.Rcode = dns.RcodeNameError
	nx.Ns = []dns.RR{mustRR("example. 600 IN SOA ns.example. h.example. 1 2 3 4 30")}
	noSOA := answerMsg("x.example.")
	noSOA.Rcode = dns.RcodeNameError
	fail := answerMsg("x.example.")
	fail.Rcode = dns.RcodeServerFailure

	tests := []struct {
		name string
		msg  *dns.Msg
		keep time.Duration // 0: not cached at all
	}{
		{"smallest TTL wins", answerMsg("a.example.",
			"a.example. 60 IN A 192.0.2.1", "a.example. 20 IN A 192.0.2.2"), 20 * time.Second},
		{"capped at MaxTTL", answerMsg("a.example.", "a.example. 86400 IN A 192.0.2.1"),
			time.Hour},
		{"TTL 0 is not kept", answerMsg("a.example.", "a.example. 0 IN A 192.0.2.1"), 0},
		{"NXDOMAIN for the SOA minimum", nx, 30 * time.Second},
		{"NXDOMAIN without SOA", noSOA, 0},
		{"SERVFAIL", fail, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cache{}
			now := time.Now()
			q := question(tt.msg.Question[0].Name)
			c.Put(q, false, tt.msg, now)
			_, ok := c.Get(q, false, now)
			assert.Equal(t, tt.keep > 0, ok, "kept at all")
			if tt.keep > 0 {
				_, ok = c.Get(q, false, now.Add(tt.keep-time.Second))
				assert.True(t, ok, "kept until just before the end")
				_, ok = c.Get(q, false, now.Add(tt.keep))
				assert.False(t, ok, "gone at the end")
			}
		})
	}
}

// TestCacheCountsDown checks that a cached answer's TTL shows its age.
func TestCacheCountsDown(t *testing.T) {
	c := &Cache{}
	now := time.Now()
	q := question("a.example.")
	c.Put(q, false, answerMsg("a.example.", "a.example. 60 IN A 192.0.2.1"), now)
	msg, ok := c.Get(q, false, now.Add(25*time.Second))
	require.True(t, ok)
	assert.EqualValues(t, 35, msg.Answer[0].Header().Ttl)

	again, _ := c.Get(q, false, now)
	assert.EqualValues(t, 60, again.Answer[0].Header().Ttl, "Get returns copies")
}

// TestCacheKeys checks that the DO bit and the type tell answers apart,
// and that names are compared without regard to case.
func TestCacheKeys(t *testing.T) {
	c := &Cache{}
	now := time.Now()
	c.Put(question("a.example."), false,
		answerMsg("a.example.", "a.example. 60 IN A 192.0.2.1"), now)
	_, ok := c.Get(question("A.EXAMPLE."), false, now)
	assert.True(t, ok)
	_, ok = c.Get(question("a.example."), true, now)
	assert.False(t, ok)
	_, ok = c.Get(dns.Question{Name: "a.example.", Qtype: dns.TypeAAAA, Qclass: 1}, false, now)
	assert.False(t, ok)
}

// TestCacheBound checks that the cache holds at most Size answers and
// forgets the least recently used first.
func TestCacheBound(t *testing.T) {
	c := &Cache{Size: 3}
	now := time.Now()
	put := func(i int) {
		name := fmt.Sprintf("n%d.example.", i)
		c.Put(question(name), false, answerMsg(name, name+" 60 IN A 192.0.2.1"), now)
	}
	for i := range 3 {
		put(i)
	}
	_, ok := c.Get(question("n0.example."), false, now) // n0 is now the most recent
	require.True(t, ok)
	put(3)
	assert.Equal(t, 3, c.Len())
	_, ok = c.Get(question("n1.example."), false, now)
	assert.False(t, ok, "n1 was the least recently used")
	_, ok = c.Get(question("n0.example."), false, now)
	assert.True(t, ok)
}
