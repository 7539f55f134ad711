package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"

	"shibafu.dev/phase7-runtime/api"
)

// newNetwork creates a network of the test through the CLI; the lab's
// clean-up removes it after every container.
func (l *lab) newNetwork(t *testing.T) string {
	t.Helper()
	name := testkit.UniqueName("n")
	l.leaks.Link(name)
	l.ok("network", "create", "--subnet", nettest.Subnet(t, subnetOctet).String(), name)
	require.Contains(t, l.ok("network", "ls"), name)
	return name
}

func TestNetworkConnectAndDisconnect(t *testing.T) {
	l := newLab(t)
	other := l.newNetwork(t)
	srv := l.run("--name", "srv", "--network", other, "busybox", "sleep", "300")
	l.run("--name", "cli", "busybox", "sleep", "300")
	srvIP := l.inspect(srv).Networks[0].IP
	ping := []string{"exec", "cli", "ping", "-c", "1", "-W", "2", srvIP}

	_, _, err := l.sh(ping...)
	require.Error(t, err, "on separate networks, no route")

	l.ok("network", "connect", other, "cli")
	c := l.inspect("cli")
	require.Len(t, c.Networks, 2)
	assert.Equal(t, "eth1", c.Networks[1].Interface)
	l.leaks.Link(c.Networks[1].HostVeth)
	l.ok(ping...)
	var nets []api.Network
	require.NoError(t, json.Unmarshal([]byte(l.ok("network", "inspect", other)), &nets))
	require.Len(t, nets, 1)
	var names []string
	for _, ctr := range nets[0].Containers {
		names = append(names, ctr.Name)
	}
	assert.ElementsMatch(t, []string{"srv", "cli"}, names)

	l.ok("network", "disconnect", other, "cli")
	assert.Len(t, l.inspect("cli").Networks, 1)
	_, _, err = l.sh(ping...)
	assert.Error(t, err, "off the network again")
	assert.Contains(t, l.fail("network", "disconnect", other, "srv"), "is the last")
	assert.Contains(t, l.fail("network", "connect", other, "srv"), "already on network")
}
