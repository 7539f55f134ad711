package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// freePort returns a TCP port of 127.0.0.1 that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// get fetches url from the host, retrying while the server starts.
func get(t *testing.T, url string) string {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	var body string
	require.Eventually(t, func() bool {
		resp, err := c.Get(url)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		body = string(data)
		return err == nil && resp.StatusCode == http.StatusOK
	}, 10*time.Second, 100*time.Millisecond, "GET %s", url)
	return body
}

func TestRunWebServerWithPublishedPort(t *testing.T) {
	l := newLab(t)
	port := freePort(t)

	id := l.run("--name", "web", "-p", fmt.Sprintf("127.0.0.1:%d:80", port),
		"busybox", "httpd", "-f", "-p", "80", "-h", "/etc")

	assert.Equal(t, "web\n", get(t, fmt.Sprintf("http://127.0.0.1:%d/hostname", port)),
		"the container's host name is its name")
	c := l.inspect("web")
	assert.Equal(t, id, c.ID)
	assert.Equal(t, "running", c.State.Status)
	require.Len(t, c.Ports, 1)
	assert.EqualValues(t, port, c.Ports[0].HostPort)
	assert.Contains(t, l.ok("ps"), fmt.Sprintf("127.0.0.1:%d->80/tcp", port))

	l.ok("stop", "-t", "1", "web")
	assert.Equal(t, "exited", l.inspect("web").State.Status)
	assert.NotContains(t, l.ok("ps"), "web", "ps without -a lists running ones only")
	assert.Contains(t, l.ok("ps", "-a"), "web")
}

func TestRunInForegroundReturnsExitCodeAndOutput(t *testing.T) {
	l := newLab(t)

	stdout, stderr, err := l.sh("run", "--rm", "-e", "GREETING=hi", "-w", "/tmp",
		"busybox", "sh", "-c", `echo "$GREETING from $(pwd)"; echo oops >&2; exit 3`)

	require.Error(t, err)
	assert.Equal(t, 3, err.(interface{ ExitCode() int }).ExitCode())
	assert.Equal(t, "hi from /tmp\n", stdout)
	assert.Equal(t, "oops\n", stderr)
	assert.Empty(t, strings.TrimSpace(l.ok("ps", "-a", "-q")), "--rm removed it")
}

func TestContainersOnOneNetworkReachEachOtherByName(t *testing.T) {
	l := newLab(t)
	net := l.newNetwork(t)

	srv := l.run("--name", "srv", "--network", net, "--network-alias", "web", "busybox",
		"httpd", "-f", "-p", "80", "-h", "/etc")
	srv2 := l.run("--name", "srv2", "--network", net, "--network-alias", "web", "busybox",
		"sleep", "300")
	l.run("--name", "cli", "--network", net, "busybox", "sleep", "300")

	ip := l.inspect(srv).Networks[0].IP
	out := l.ok("exec", "cli", "nslookup", "srv")
	assert.Contains(t, out, ip, "srv resolves to its address")
	out = l.ok("exec", "cli", "sh", "-c",
		`printf 'GET /hostname HTTP/1.0\r\n\r\n' | nc srv 80`)
	assert.Contains(t, out, "200 OK")
	assert.Contains(t, out, "\r\n\r\nsrv\n", "srv served its own /etc/hostname")

	out = l.ok("exec", "cli", "nslookup", "web")
	assert.Contains(t, out, ip, "an alias answers with every container that has it")
	assert.Contains(t, out, l.inspect(srv2).Networks[0].IP)
}

func TestExecStreamsOutputAndExitCode(t *testing.T) {
	l := newLab(t)
	l.run("--name", "box", "-u", "1000:1000", "busybox", "sleep", "300")

	stdout, stderr, err := l.sh("exec", "box", "sh", "-c", "id -u; echo err >&2; exit 7")

	require.Error(t, err)
	assert.Equal(t, 7, err.(interface{ ExitCode() int }).ExitCode())
	assert.Equal(t, "1000\n", stdout, "exec runs as the container's user")
	assert.Equal(t, "err\n", stderr)
	assert.Equal(t, "0\n", l.ok("exec", "-u", "0", "box", "id", "-u"))
}
