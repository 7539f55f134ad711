package container_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/bundle"
)

// TestNamespacesAreSeparate checks that the container's process is PID 1
// of a PID namespace of its own and has its own host name, and that each
// namespace it is in is a different kernel object (inode) from the test's.
func TestNamespacesAreSeparate(t *testing.T) {
	l := newLab(t)
	kinds := []string{"pid", "mnt", "net", "ipc", "uts", "cgroup"}
	script := "echo $$; hostname"
	for _, k := range kinds {
		script += "; readlink /proc/self/ns/" + k
	}
	cfg := l.config(bundle.Options{Args: []string{"sh", "-c", script}, Hostname: "inside"})

	exit, out := l.run(cfg)
	require.Equal(t, 0, exit.Code, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2+len(kinds), out)
	assert.Equal(t, "1", lines[0], "PID inside the container")
	assert.Equal(t, "inside", lines[1], "host name inside the container")

	hostName, err := os.Hostname()
	require.NoError(t, err)
	assert.NotEqual(t, "inside", hostName, "the host keeps its name")
	for i, k := range kinds {
		host, err := os.Readlink("/proc/self/ns/" + k)
		require.NoError(t, err)
		assert.NotEqual(t, host, lines[2+i], "%s namespace", k)
		assert.True(t, strings.HasPrefix(lines[2+i], k+":["), lines[2+i])
	}
}

// TestNetworkNamespaceHasOnlyLoopback checks that a new network namespace
// starts empty: the container sees lo and nothing of the host.
func TestNetworkNamespaceHasOnlyLoopback(t *testing.T) {
	l := newLab(t)
	exit, out := l.run(l.sh("ls /sys/class/net"))
	require.Equal(t, 0, exit.Code, out)
	assert.Equal(t, "lo", strings.TrimSpace(out))
}
