package dns

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLabNamesInContainers starts a container "web" on one network and
// checks, from other containers, that its short name and its FQDN
// resolve and answer ping on that network only, and that removing its
// record stops resolution.
func TestLabNamesInContainers(t *testing.T) {
	l := newLab(t)
	front, back := l.network(t), l.network(t)
	ip := l.start(t, front, "web", "")
	fqdn := "web." + front.Name + ".shibafu.internal"

	code, out := l.run(t, front, fmt.Sprintf(`set -e
		nslookup web
		nslookup %[1]s
		ping -c 1 -W 2 web
		ping -c 1 -W 2 %[1]s`, fqdn))
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, ip.String())
	assert.Contains(t, out, "1 packets received")

	code, out = l.run(t, back, fmt.Sprintf(`
		nslookup web || echo "short: not found"
		nslookup %s || echo "fqdn: not found"`, fqdn))
	require.Equal(t, 0, code, out)
	assert.NotContains(t, out, ip.String(), "another network does not see web")
	assert.Contains(t, out, "short: not found")
	assert.Contains(t, out, "fqdn: not found")

	require.NoError(t, l.zone.Delete(front.Name, "web"))
	code, out = l.run(t, front, fmt.Sprintf(`
		nslookup web || echo "short: not found"
		nslookup %s || echo "fqdn: not found"`, fqdn))
	require.Equal(t, 0, code, out)
	assert.NotContains(t, out, ip.String(), "removed names stop resolving")
	assert.Contains(t, out, "short: not found")
	assert.Contains(t, out, "fqdn: not found")
}

// TestLabService starts three replicas of a service and checks with
// dig from the host, on the network's gateway, that the service name
// answers with all three in rotating order, that its SRV record names
// each replica and that every address maps back to its name; then the
// same service name from inside a container.
func TestLabService(t *testing.T) {
	l := newLab(t)
	n := l.network(t)
	ips := map[string]string{}
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("api-%d", i)
		ips[l.start(t, n, name, "api").String()] = name
	}
	domain := n.Name + ".shibafu.internal."

	firsts := map[string]bool{}
	for range 3 {
		got := dig(t, n.Gateway, "api."+domain, "A")
		require.Len(t, got, 3)
		for _, ip := range got {
			assert.Contains(t, ips, ip)
		}
		firsts[got[0]] = true
	}
	assert.Len(t, firsts, 3, "each query starts with another replica")

	srv := dig(t, n.Gateway, "_http._tcp.api."+domain, "SRV")
	require.Len(t, srv, 12, "three SRV records of four fields: %v", srv)
	for ip, name := range ips {
		assert.Contains(t, srv, name+"."+domain)
		assert.Equal(t, []string{name + "." + domain}, dig(t, n.Gateway, "-x", ip))
	}

	code, out := l.run(t, n, "nslookup api")
	require.Equal(t, 0, code, out)
	for ip := range ips {
		assert.Contains(t, out, ip)
	}
}
