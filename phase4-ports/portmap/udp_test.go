package portmap_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"shibafu.dev/phase2-network/nettest"
)

// udpEcho answers every datagram to ip:5353 inside the namespace at ns
// with "echo " and the datagram, until the test ends.
func udpEcho(t *testing.T, ns string, ip netip.Addr) {
	t.Helper()
	var c net.PacketConn
	err := nettest.InNamespace(ns, func() (err error) {
		c, err = net.ListenPacket("udp4", ip.String()+":5353")
		return err
	})
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			c.WriteTo(append([]byte("echo "), buf[:n]...), from)
		}
	}()
}

// udpAsk sends "ping" to addr from a fresh socket, in the namespace of
// the calling thread, and returns the answer, giving up after 500ms.
func udpAsk(addr string) (string, error) {
	c, err := net.Dial("udp4", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := c.Write([]byte("ping")); err != nil {
		return "", err
	}
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// freeRange finds n consecutive UDP ports that no socket holds.
func freeRange(t *testing.T, n int) uint16 {
	t.Helper()
	for range 50 {
		base := 40000 + rand.IntN(9000)
		if err := bindRange(base, n); err == nil {
			return uint16(base)
		}
	}
	t.Fatal("no free port range found")
	return 0
}

func bindRange(base, n int) error {
	var errs []error
	for p := base; p < base+n; p++ {
		c, err := net.ListenPacket("udp4", fmt.Sprint(":", p))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.Close()
	}
	return errors.Join(errs...)
}
