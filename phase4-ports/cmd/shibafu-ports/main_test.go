package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run runs shibafu-ports with args on a fresh state root.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{"--root", t.TempDir(), "--chain-prefix", "SBPCLI"}, args...))
	err := cmd.Execute()
	return out.String(), err
}

func TestBadInputIsRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"publish", "--to", "10.218.250.2", "0:80"}, "want 1 to 65535"},
		{[]string{"publish", "--to", "10.218.250.2", "70000:80"}, "want 1 to 65535"},
		{[]string{"publish", "--to", "10.218.250.2", "80/sctp"}, "want tcp or udp"},
		{[]string{"publish", "80"}, "--to IP or --container ID"},
		{[]string{"publish", "--to", "nonsense", "80"}, "--to"},
		{[]string{"unpublish", "0"}, "want 1 to 65535"},
		{[]string{"unpublish"}, "not both"},
		{[]string{"proxy", "--listen", "127.0.0.1:0", "--backend", "x"}, "HOST:PORT"},
		{[]string{"proxy", "--listen", "127.0.0.1:0", "--balance", "random"}, "balance"},
		{[]string{"proxy", "--config", "/nonexistent.json"}, "no such file"},
		{[]string{"proxy"}, "--listen or --config"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			_, err := run(t, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestListEmpty(t *testing.T) {
	out, err := run(t, "ls")
	require.NoError(t, err)
	assert.Equal(t, "PROTO  HOST  CONTAINER  OWNER  BRIDGE\n", out)
}
