package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
)

// The end-to-end tests drive the real binary, built once per run.
func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBinaries()
	os.Exit(code)
}

// session is one test's shibafu-dns on a loopback address of its own,
// 127.53.X.Y, so that it can use port 53 without meeting anyone else.
type session struct {
	t          *testing.T
	bin, root  string
	ip, api    string
	serverProc *exec.Cmd
}

func newSession(t *testing.T) *session {
	t.Helper()
	var b [2]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	ip := fmt.Sprintf("127.53.%d.%d", b[0], b[1]%254+1)
	return &session{t: t, bin: testkit.Binary(t, "shibafu-dns"),
		root: testkit.ShortTempDir(t), ip: ip, api: ip + ":8053"}
}

// serve starts the server and waits until its API answers.
func (s *session) serve() {
	s.t.Helper()
	cmd := exec.Command(s.bin, "serve", "--root", s.root, "--api", s.api,
		"--listen", s.ip+":53", "--no-forward")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(s.t, cmd.Start())
	s.serverProc = cmd
	s.t.Cleanup(s.stop)
	for range 100 {
		if _, _, code := s.run("ls"); code == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("shibafu-dns serve did not start:\n%s", logs.String())
}

// stop ends the server with SIGTERM, as an operator would.
func (s *session) stop() {
	if s.serverProc == nil {
		return
	}
	s.serverProc.Process.Signal(syscall.SIGTERM)
	s.serverProc.Wait()
	s.serverProc = nil
}

// run runs a client command and returns its stdout, stderr and exit code.
func (s *session) run(args ...string) (string, string, int) {
	s.t.Helper()
	cmd := exec.Command(s.bin, append([]string{"--api", s.api}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(s.t, err)
	return out.String(), errOut.String(), 0
}

// dig asks the server and returns dig's short answer.
func (s *session) dig(args ...string) string {
	s.t.Helper()
	bin := testkit.RequireTool(s.t, "dig")
	out, err := exec.Command(bin, append([]string{"@" + s.ip, "+short", "+time=2",
		"+tries=1"}, args...)...).CombinedOutput()
	require.NoError(s.t, err, "%s", out)
	return strings.TrimSpace(string(out))
}

// TestAddListRemove registers names with add, reads them with ls and
// dig, restarts the server to see that it answers from its file at
// once, and removes them with rm.
func TestAddListRemove(t *testing.T) {
	s := newSession(t)
	s.serve()

	out, _, code := s.run("add", "--network", "backend", "db", "10.90.0.2", "fd00::2")
	require.Equal(t, 0, code)
	assert.Equal(t, "db.backend.shibafu.internal.\n", out)
	_, _, code = s.run("add", "--network", "backend", "--service", "api",
		"--port", "http:8080", "api-1", "10.90.0.11")
	require.Equal(t, 0, code)

	out, _, code = s.run("ls")
	require.Equal(t, 0, code)
	assert.Equal(t, "NETWORK  NAME   SERVICE  ADDRESSES          PORTS\n"+
		"backend  api-1  api      10.90.0.11         http:8080/tcp\n"+
		"backend  db     -        10.90.0.2,fd00::2  -\n", out)
	assert.Equal(t, "10.90.0.2", s.dig("db.backend.shibafu.internal"))

	s.stop()
	s.serve()
	assert.Equal(t, "fd00::2", s.dig("db.backend.shibafu.internal", "AAAA"), "after a restart")
	assert.Equal(t, "0 10 8080 api-1.backend.shibafu.internal.",
		s.dig("_http._tcp.api.backend.shibafu.internal", "SRV"))

	_, _, code = s.run("rm", "--network", "backend", "db")
	require.Equal(t, 0, code)
	assert.Empty(t, s.dig("db.backend.shibafu.internal"))
	_, stderr, code := s.run("rm", "--network", "backend", "db")
	assert.Equal(t, 125, code)
	assert.Contains(t, stderr, "not found")
}

// TestClientErrors checks the messages of bad arguments, and of a
// client whose server is not running.
func TestClientErrors(t *testing.T) {
	s := newSession(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ls"}, "is shibafu-dns serve running?"},
		{[]string{"add", "web", "10.0.0.300"}, `address "10.0.0.300"`},
		{[]string{"add", "--port", "http:99999", "web", "10.0.0.3"}, "--port"},
		{[]string{"add", "web"}, "requires at least 2 arg(s)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, stderr, code := s.run(tt.args...)
			assert.Equal(t, 125, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}
