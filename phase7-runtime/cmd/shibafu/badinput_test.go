package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadInputGivesClearErrorsAndLeavesNothing(t *testing.T) {
	l := newLab(t)
	l.run("--name", "taken", "busybox", "sleep", "300")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown image", []string{"nosuchimage"}, "image nosuchimage: not in the store"},
		{"bad port spec", []string{"-p", "80:90:100:7", "busybox"}, "port spec"},
		{"port out of range", []string{"-p", "70000:80", "busybox"}, "70000"},
		{"duplicate name", []string{"--name", "taken", "busybox"}, `name "taken" is already in use`},
		{"invalid memory", []string{"--memory", "lots", "busybox"}, `--memory: size "lots"`},
		{"memory too small", []string{"--memory", "1k", "busybox"}, "memory limit"},
		{"bad name", []string{"--name", "Bad_Name", "busybox"}, `container name "Bad_Name"`},
		{"unknown network", []string{"--network", "nonet", "busybox"}, "no such network"},
		{"bad user", []string{"-u", "root", "busybox"}, `user "root"`},
		{"bad restart policy", []string{"--restart", "sometimes", "busybox"}, `--restart "sometimes"`},
		{"restart with rm", []string{"--rm", "--restart", "always", "busybox"}, "--rm and --restart"},
		{"relative workdir", []string{"-w", "tmp", "busybox"}, "absolute path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stderr := l.fail(append([]string{"run", "-d"}, append(tt.args, "true")...)...)
			assert.Contains(t, stderr, tt.want)
			assert.NotContains(t, stderr, "\n\n", "one clear message")
		})
	}
	l.assertOnly(t, "taken")
}

func TestRunFailingMidwayRollsBack(t *testing.T) {
	l := newLab(t)
	// A process holds the port: publishing fails after the snapshot,
	// namespace, veth and address were made, so all of them must go.
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	stderr := l.fail("run", "-d", "--name", "web", "-p", fmt.Sprintf("127.0.0.1:%d:80", port),
		"busybox", "httpd", "-f")

	assert.Contains(t, stderr, "port already taken")
	l.assertOnly(t)
	l.ok("run", "-d", "--name", "web", "busybox", "true") // the name is free again
}

func TestMissingSocketSaysStartTheDaemon(t *testing.T) {
	cli := newLab(t).cli
	_, stderr, err := (&lab{cli: cli, socket: "/nonexistent/shibafu.sock"}).sh("ps")

	require.Error(t, err)
	assert.Contains(t, stderr, "daemon not running at /nonexistent/shibafu.sock: start shibafud")
}

// assertOnly checks that the runtime holds the named containers and
// nothing of any other: no record, snapshot, namespace or runtime files.
func (l *lab) assertOnly(t *testing.T, names ...string) {
	t.Helper()
	var got []string
	for _, id := range strings.Fields(l.ok("ps", "-a", "-q")) {
		got = append(got, l.inspect(id).Name)
	}
	assert.ElementsMatch(t, names, got, "containers")
	for _, dir := range []string{"snapshots/mounts", "netns", "runtime", "containers"} {
		entries, _ := os.ReadDir(filepath.Join(l.root, dir))
		assert.Len(t, entries, len(names), "entries of %s", dir)
	}
}
