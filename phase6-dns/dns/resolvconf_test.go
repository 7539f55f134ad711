package dns

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolvConf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net1", "resolv.conf")
	conf := ForNetwork("net1", netip.MustParseAddr("10.1.0.1"))
	require.NoError(t, conf.WriteFile(path))

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "# Written by Shibafu: this container's names are served by shibafu-dns.\n"+
		"nameserver 10.1.0.1\n"+
		"search net1.shibafu.internal\n"+
		"options ndots:1\n", string(data))

	m := ResolvConfMount(path)
	assert.Equal(t, "/etc/resolv.conf", m.Destination)
	assert.Equal(t, path, m.Source)
	assert.Contains(t, m.Options, "ro")
}
