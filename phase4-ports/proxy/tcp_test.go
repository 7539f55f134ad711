package proxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase4-ports/proxy"
)

// echoServer greets each connection with its name, then echoes lines.
func echoServer(t *testing.T, name string) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				fmt.Fprintln(c, name)
				io.Copy(c, c)
			}()
		}
	}()
	return l.Addr().String()
}

func tcpConfig(drain time.Duration, backends ...string) proxy.Config {
	return proxy.Config{
		Pools: []proxy.PoolConfig{{Name: "db", Backends: backends,
			DrainTimeout: proxy.Duration(drain)}},
		Frontends: []proxy.FrontendConfig{{Name: "front", Listen: "127.0.0.1:0",
			Mode: proxy.TCP, Pool: "db"}},
	}
}

// dialGreeting connects through the proxy and reads the greeting.
func dialGreeting(t *testing.T, s *proxy.Server) (net.Conn, *bufio.Reader, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr("front").String(), 2*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	return c, r, line
}

func TestTCPRoundRobin(t *testing.T) {
	s := startProxy(t, tcpConfig(0, echoServer(t, "a"), echoServer(t, "b"), echoServer(t, "c")))
	seen := map[string]int{}
	for range 9 {
		c, r, name := dialGreeting(t, s)
		fmt.Fprintln(c, "hello")
		echo, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, "hello\n", echo)
		c.Close()
		seen[name]++
	}
	assert.Equal(t, map[string]int{"a\n": 3, "b\n": 3, "c\n": 3}, seen)
}

func TestTCPDrainsRemovedBackend(t *testing.T) {
	a, b := echoServer(t, "a"), echoServer(t, "b")
	s := startProxy(t, tcpConfig(300*time.Millisecond, a))
	c, r, name := dialGreeting(t, s)
	require.Equal(t, "a\n", name)

	require.NoError(t, s.SetBackends("db", []string{b}))
	_, _, name = dialGreeting(t, s)
	assert.Equal(t, "b\n", name, "new connections go to the new pool")

	fmt.Fprintln(c, "still here")
	echo, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "still here\n", echo, "the open connection keeps working while it drains")

	start := time.Now()
	_, err = r.ReadString('\n')
	assert.Error(t, err, "closed once the drain timeout passed")
	assert.Less(t, time.Since(start), 2*time.Second)
}
