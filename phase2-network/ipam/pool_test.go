package ipam

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newPool(t *testing.T, subnet, gateway string) *Pool {
	t.Helper()
	p, err := New(filepath.Join(t.TempDir(), "pool.json"),
		netip.MustParsePrefix(subnet), netip.MustParseAddr(gateway))
	require.NoError(t, err)
	return p
}

func TestCheckSubnet(t *testing.T) {
	tests := []struct {
		subnet string
		err    string
	}{
		{"10.89.0.0/16", ""},
		{"10.213.0.0/30", ""},
		{"10.89.0.7/16", "not a network address (did you mean 10.89.0.0/16?)"},
		{"10.213.0.0/31", "too small"},
		{"fd00::/64", "only IPv4"},
	}
	for _, tt := range tests {
		t.Run(tt.subnet, func(t *testing.T) {
			err := CheckSubnet(netip.MustParsePrefix(tt.subnet))
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.err)
		})
	}
}

func TestBroadcast(t *testing.T) {
	assert.Equal(t, "10.89.255.255", Broadcast(netip.MustParsePrefix("10.89.0.0/16")).String())
	assert.Equal(t, "10.213.0.3", Broadcast(netip.MustParsePrefix("10.213.0.0/30")).String())
}

func TestAllocateSkipsGatewayAndReusesFreed(t *testing.T) {
	p := newPool(t, "10.213.0.0/29", "10.213.0.1")

	var got []string
	for range 5 {
		a, err := p.Allocate("c", netip.Addr{})
		require.NoError(t, err)
		got = append(got, a.String())
	}
	assert.Equal(t, []string{"10.213.0.2", "10.213.0.3", "10.213.0.4", "10.213.0.5",
		"10.213.0.6"}, got, "network .0, gateway .1 and broadcast .7 are never handed out")

	_, err := p.Allocate("c", netip.Addr{})
	assert.ErrorIs(t, err, ErrExhausted)
	assert.ErrorContains(t, err, "allocate in 10.213.0.0/29: no free address")

	require.NoError(t, p.Release(netip.MustParseAddr("10.213.0.4")))
	a, err := p.Allocate("d", netip.Addr{})
	require.NoError(t, err)
	assert.Equal(t, "10.213.0.4", a.String(), "a freed address comes back")
}

func TestGatewayNotFirst(t *testing.T) {
	p := newPool(t, "10.213.0.0/30", "10.213.0.2")
	a, err := p.Allocate("c", netip.Addr{})
	require.NoError(t, err)
	assert.Equal(t, "10.213.0.1", a.String())
	_, err = p.Allocate("c", netip.Addr{})
	assert.ErrorIs(t, err, ErrExhausted)
}

func TestStaticAddress(t *testing.T) {
	p := newPool(t, "10.213.0.0/24", "10.213.0.1")

	a, err := p.Allocate("web", netip.MustParseAddr("10.213.0.80"))
	require.NoError(t, err)
	assert.Equal(t, "10.213.0.80", a.String())

	tests := []struct{ addr, err string }{
		{"10.213.0.80", "address 10.213.0.80 (held by web): address already allocated"},
		{"10.213.0.1", "address 10.213.0.1 is the gateway"},
		{"10.213.0.255", "not a host address of 10.213.0.0/24"},
		{"10.213.0.0", "not a host address of 10.213.0.0/24"},
		{"10.9.9.9", "not a host address of 10.213.0.0/24"},
	}
	for _, tt := range tests {
		_, err := p.Allocate("other", netip.MustParseAddr(tt.addr))
		assert.ErrorContains(t, err, tt.err, tt.addr)
	}

	all, err := p.Allocations()
	require.NoError(t, err)
	assert.Equal(t, map[netip.Addr]string{netip.MustParseAddr("10.213.0.80"): "web"}, all,
		"failed requests change nothing")
}

func TestReleaseUnknown(t *testing.T) {
	p := newPool(t, "10.213.0.0/24", "10.213.0.1")
	err := p.Release(netip.MustParseAddr("10.213.0.9"))
	assert.ErrorIs(t, err, ErrNotAllocated)
}

func TestNewRejectsBadGateway(t *testing.T) {
	_, err := New("x", netip.MustParsePrefix("10.213.0.0/24"), netip.MustParseAddr("10.213.1.1"))
	assert.ErrorContains(t, err, "gateway 10.213.1.1 is not a host address of 10.213.0.0/24")
}
