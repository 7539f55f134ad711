package dns

import (
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAliases checks that each alias of a record answers with the
// addresses of every container that has it, and that a bad alias is
// refused.
func TestAliases(t *testing.T) {
	z := &Zone{}
	require.NoError(t, z.Put(Record{Network: "net1", Name: "cache-1", IPs: addrs("10.1.0.11"),
		Service: "cache", Aliases: []string{"cache", "Store"}}))
	require.NoError(t, z.Put(Record{Network: "net1", Name: "cache-2", IPs: addrs("10.1.0.12"),
		Aliases: []string{"cache"}}))
	addr := serve(t, &Handler{Zone: z})

	for name, want := range map[string][]string{
		"cache.net1.shibafu.internal.": {"A 10.1.0.11", "A 10.1.0.12"},
		"store.net1.shibafu.internal.": {"A 10.1.0.11"},
	} {
		resp := ask(t, addr, query{name: name, qtype: dns.TypeA})
		assert.Equal(t, dns.RcodeSuccess, resp.Rcode, name)
		assert.ElementsMatch(t, want, answers(resp.Answer), name)
	}

	err := z.Put(Record{Network: "net1", Name: "bad", IPs: addrs("10.1.0.13"),
		Aliases: []string{"no_underscores"}})
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "alias")
}
