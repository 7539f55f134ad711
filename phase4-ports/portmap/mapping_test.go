package portmap_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/portmap"
)

func TestParse(t *testing.T) {
	ctr := netip.MustParseAddr("10.218.0.2")
	lo := netip.MustParseAddr("127.0.0.1")
	m := func(proto portmap.Proto, hostIP netip.Addr, host, port uint16) portmap.Mapping {
		return portmap.Mapping{Proto: proto, HostIP: hostIP, HostPort: host,
			ContainerIP: ctr, ContainerPort: port}
	}
	for _, tc := range []struct {
		spec string
		want []portmap.Mapping
	}{
		{"80", []portmap.Mapping{m(portmap.TCP, netip.Addr{}, 0, 80)}},
		{"8080:80", []portmap.Mapping{m(portmap.TCP, netip.Addr{}, 8080, 80)}},
		{"53/udp", []portmap.Mapping{m(portmap.UDP, netip.Addr{}, 0, 53)}},
		{"127.0.0.1:5353:53/UDP", []portmap.Mapping{m(portmap.UDP, lo, 5353, 53)}},
		{"127.0.0.1::80", []portmap.Mapping{m(portmap.TCP, lo, 0, 80)}},
		{"9000-9001:80-81", []portmap.Mapping{
			m(portmap.TCP, netip.Addr{}, 9000, 80), m(portmap.TCP, netip.Addr{}, 9001, 81)}},
		{"65535:65535", []portmap.Mapping{m(portmap.TCP, netip.Addr{}, 65535, 65535)}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := portmap.Parse(tc.spec, ctr)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseRefusesBadSpecs(t *testing.T) {
	ctr := netip.MustParseAddr("10.218.0.2")
	for _, spec := range []string{
		"0", "8080:0", "0:80", "65536:80", "80:70000", "-1", "abc", "",
		"80/sctp", "80/", "1.2.3.4:5:6:7", "nonsense:80:80", "::1:80:80",
		"9000-9002:80-81", "90-80:90-80", "80-:80-",
	} {
		t.Run(spec, func(t *testing.T) {
			_, err := portmap.Parse(spec, ctr)
			require.Error(t, err)
			assert.True(t, errors.Is(err, portmap.ErrInvalid), "wraps ErrInvalid: %v", err)
		})
	}
	_, err := portmap.Parse("80", netip.MustParseAddr("127.0.0.1"))
	assert.ErrorIs(t, err, portmap.ErrInvalid, "a loopback container address")
}
