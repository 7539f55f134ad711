package nettest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"shibafu.dev/phase0-runc/testkit"
	"shibafu.dev/phase2-network/network"
)

// Namespace creates an empty network namespace for the test, pinned in a
// temporary directory, and deletes it when the test ends. It returns the
// namespace file's path.
func Namespace(t testing.TB, leaks *Leaks) string {
	t.Helper()
	path := filepath.Join(testkit.ShortTempDir(t), "netns")
	if err := network.CreateNamespace(path); err != nil {
		t.Fatalf("create netns: %v", err)
	}
	leaks.Path(path)
	t.Cleanup(func() {
		if err := network.DeleteNamespace(path); err != nil {
			t.Errorf("delete netns: %v", err)
		}
	})
	return path
}

// InNamespace runs fn on an OS thread that has entered the network
// namespace at path. Sockets belong to the namespace they were created
// in, so a listener or connection made by fn keeps working there after
// fn returns, from any goroutine.
//
// setns(2) moves only the calling thread, so the goroutine is locked to
// its thread for the trip and brings it back before unlocking; if it
// cannot, it ends locked and the Go runtime retires the thread.
func InNamespace(path string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			errc <- err
			return
		}
		defer orig.Close()
		ns, err := netns.GetFromPath(path)
		if err != nil {
			errc <- err
			return
		}
		defer ns.Close()
		if err := netns.Set(ns); err != nil {
			errc <- fmt.Errorf("setns %s: %w", path, err)
			return
		}
		fnErr := fn()
		if err := netns.Set(orig); err != nil {
			errc <- fmt.Errorf("return from %s: %w", path, err)
			return
		}
		runtime.UnlockOSThread()
		errc <- fnErr
	}()
	return <-errc
}

// Listen opens a TCP listener on addr (such as "10.213.0.2:0") inside the
// namespace at path, closed when the test ends.
func Listen(t testing.TB, path, addr string) net.Listener {
	t.Helper()
	var l net.Listener
	err := InNamespace(path, func() (err error) {
		l, err = net.Listen("tcp4", addr)
		return err
	})
	if err != nil {
		t.Fatalf("listen on %s in %s: %v", addr, path, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// Dial connects to addr from inside the namespace at path, giving up
// after timeout.
func Dial(path, addr string, timeout time.Duration) (net.Conn, error) {
	var c net.Conn
	err := InNamespace(path, func() (err error) {
		c, err = net.DialTimeout("tcp4", addr, timeout)
		return err
	})
	return c, err
}

// Ping sends one ICMP echo request from inside the namespace at path and
// reports whether a reply came back within a second.
func Ping(path, ip string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "nsenter", "--net="+path,
		"ping", "-c", "1", "-W", "1", ip).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ping %s: %w\n%s", ip, err, out)
	}
	return nil
}
