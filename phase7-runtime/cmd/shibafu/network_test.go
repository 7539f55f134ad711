package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"
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
