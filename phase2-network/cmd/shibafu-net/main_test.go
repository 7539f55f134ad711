package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/nettest"
)

// subnetOctet is this package's slice of the test address space,
// 10.215.0.0/16; see nettest.Subnet.
const subnetOctet = 215

// The end-to-end tests drive the real binary, built once per test run,
// so that every command is a fresh process that finds its state on disk.
func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBinaries()
	os.Exit(code)
}

// session runs shibafu-net on one test's state root and chain prefix.
type session struct {
	t      *testing.T
	bin    string
	root   string
	prefix string
	leaks  *nettest.Leaks
}

func newSession(t *testing.T) *session {
	t.Helper()
	testkit.RequireRoot(t)
	testkit.RequireTool(t, "iptables")
	prefix := testkit.UniqueName("SBF")
	c := &session{t: t, prefix: prefix, leaks: nettest.TrackLeaks(t, prefix)}
	c.bin, c.root = testkit.Binary(t, "shibafu-net"), testkit.ShortTempDir(t)
	return c
}

// run runs the binary and returns its stdout, stderr and exit code.
func (c *session) run(args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"--root", c.root, "--chain-prefix", c.prefix},
		args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(c.t, err)
	return out.String(), errOut.String(), 0
}

// ok runs the binary and fails the test unless it succeeds.
func (c *session) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run(args...)
	require.Equal(c.t, 0, code, "shibafu-net %s: %s", strings.Join(args, " "), errOut)
	return out
}

// network creates a network through the CLI, removed when the test ends.
func (c *session) network() (name, subnet string) {
	c.t.Helper()
	name = testkit.UniqueName("n")
	subnet = nettest.Subnet(c.t, subnetOctet).String()
	c.leaks.Link(name)
	c.ok("create", "--subnet", subnet, name)
	c.t.Cleanup(func() { c.run("rm", name) })
	return name, subnet
}

func TestCreateListInspectRemove(t *testing.T) {
	c := newSession(t)
	name, subnet := c.network()

	out := c.ok("ls")
	assert.Regexp(t, name+`\s+`+name+`\s+`+subnet+`\s+\S+\s+0`, out)

	var got []struct {
		Name      string `json:"name"`
		Subnet    string `json:"subnet"`
		Endpoints []any  `json:"endpoints"`
	}
	require.NoError(t, json.Unmarshal([]byte(c.ok("inspect", name)), &got))
	require.Len(t, got, 1)
	assert.Equal(t, subnet, got[0].Subnet)
	assert.Empty(t, got[0].Endpoints)

	c.ok("rm", name)
	assert.NotContains(t, c.ok("ls"), name)
}

func TestConnectDisconnect(t *testing.T) {
	c := newSession(t)
	name, _ := c.network()
	ns := nettest.Namespace(t, c.leaks)

	out := c.ok("connect", name, "box", "--netns", ns)
	fields := strings.Fields(out)
	require.Len(t, fields, 4, out)
	assert.Equal(t, "eth0", fields[1])
	shown := testkit.Run(t, "nsenter", "--net="+ns, "ip", "-o", "-4", "addr", "show", "eth0")
	assert.Contains(t, shown, fields[2])

	_, errOut, code := c.run("rm", name)
	assert.Equal(t, cli.ErrorExit, code)
	assert.Contains(t, errOut, "remove network "+name+": in use by 1 container(s), first box")

	c.ok("disconnect", name, "box")
	_, errOut, code = c.run("disconnect", name, "box")
	assert.Equal(t, cli.ErrorExit, code)
	assert.Contains(t, errOut, "container box is not attached to network "+name)
}

func TestRunOnNetwork(t *testing.T) {
	c := newSession(t)
	name, subnet := c.network()
	gateway := nettest.Host(netip.MustParsePrefix(subnet), 1).String()

	out := c.ok("run", "--network", name, "--name", "probe", "ip", "route")
	assert.Contains(t, out, "default via "+gateway+" dev eth0")

	_, _, code := c.run("run", "--network", name, "sh", "-c", "exit 7")
	assert.Equal(t, 7, code, "run exits as the container did")

	var got []struct {
		Endpoints []any `json:"endpoints"`
	}
	require.NoError(t, json.Unmarshal([]byte(c.ok("inspect", name)), &got))
	assert.Empty(t, got[0].Endpoints, "foreground containers leave the network when they end")
}

func TestBadInput(t *testing.T) {
	c := newSession(t)
	name, subnet := c.network()

	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"create", "--subnet", "10.215.300.0/24", "x1"},
			`invalid subnet "10.215.300.0/24"`},
		{[]string{"create", "x1"}, "--subnet is required"},
		{[]string{"create", "--subnet", subnet, name}, "network " + name + ": already exists"},
		{[]string{"create", "--subnet", subnet, "x2"}, "overlaps network " + name},
		{[]string{"rm", "nosuchnet"}, "no such network: nosuchnet"},
		{[]string{"connect", name, "box"}, "--pid PID or --netns PATH"},
		{[]string{"connect", "nosuchnet", "box", "--pid", "1"}, "no such network: nosuchnet"},
		{[]string{"disconnect", name, "box"}, "container box is not attached to network " + name},
		{[]string{"run", "--network", "nosuchnet", "true"}, "no such network: nosuchnet"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := c.run(tt.args...)
			assert.Equal(t, cli.ErrorExit, code)
			assert.Contains(t, errOut, tt.msg)
		})
	}
	assert.Regexp(t, `(?m)^`+name+`\s`, c.ok("ls"))
	assert.Len(t, strings.Split(strings.TrimSpace(c.ok("ls")), "\n"), 2, "nothing was added")
}
