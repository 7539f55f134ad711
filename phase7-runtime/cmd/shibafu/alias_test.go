package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

func TestAliasesSearchDomainsAndHosts(t *testing.T) {
	l := newLab(t)
	front, back := l.newNetwork(t), l.newNetwork(t)
	db := l.run("--name", "db", "--network", back, "--network-alias", "store",
		"--network-alias", "cache", "busybox", "sleep", "300")
	app := l.run("--name", "app", "--hostname", "apphost", "--network", front,
		"--network", back, "busybox", "sleep", "300")
	dbIP := l.inspect(db).Networks[0].IP
	appNets := l.inspect(app).Networks
	require.Len(t, appNets, 2)
	l.leaks.Link(appNets[1].HostVeth)

	assert.Contains(t, l.ok("exec", "app", "cat", "/etc/resolv.conf"),
		"search "+front+".shibafu.internal "+back+".shibafu.internal\n")
	hosts := l.ok("exec", "app", "cat", "/etc/hosts")
	assert.Contains(t, hosts, appNets[0].IP+"\tapphost app app."+front+".shibafu.internal\n")
	assert.Contains(t, hosts, appNets[1].IP+"\tapphost app app."+back+".shibafu.internal\n")

	// ping resolves with the C library, through the search domains;
	// the server of the first network answers for the second too.
	for _, name := range []string{"db", "store", "cache"} {
		assert.Contains(t, l.ok("exec", "app", "ping", "-c", "1", "-W", "2", name),
			"("+dbIP+")", "%s, on the second network", name)
	}
	assert.Contains(t, l.ok("exec", "app", "nslookup", "cache."+back+".shibafu.internal"), dbIP)

	// A container that joins a network later learns its domain too.
	late := l.run("--name", "late", "--network", front, "busybox", "sleep", "300")
	l.ok("network", "connect", back, "late")
	l.leaks.Link(l.inspect(late).Networks[1].HostVeth)
	assert.Contains(t, l.ok("exec", "late", "cat", "/etc/resolv.conf"), back+".shibafu.internal")
	assert.Contains(t, l.ok("exec", "late", "ping", "-c", "1", "-W", "2", "store"),
		"("+dbIP+")")

	assert.Contains(t, l.fail("run", "-d", "--network-alias", "Bad_Alias", "busybox"),
		"network alias name \"Bad_Alias\"")
}

// TestOldAliasFieldStillWorks runs a container through the API with the
// single alias field of older clients.
func TestOldAliasFieldStillWorks(t *testing.T) {
	l := newLab(t)
	c, err := (&client.Client{Socket: l.socket}).Run(context.Background(),
		api.RunRequest{Image: "busybox", Name: "legacy", Alias: "old",
			Aliases: []string{"new"}, Cmd: []string{"sleep", "300"}})
	require.NoError(t, err)
	l.ids = append(l.ids, c.ID)
	l.leaks.Link(c.Networks[0].HostVeth)

	for _, name := range []string{"old", "new"} {
		out := l.ok("run", "--rm", "busybox", "nslookup", name)
		assert.Contains(t, out, c.Networks[0].IP, name)
	}
	assert.Empty(t, strings.TrimSpace(l.ok("ps", "-q", "--filter", "name=nothing")))
}
