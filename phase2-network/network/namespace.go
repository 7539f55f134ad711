package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// PIDNamespace returns the path of the network namespace of process pid,
// /proc/PID/ns/net, for Attach. It names the namespace only while the
// process lives.
func PIDNamespace(pid int) string {
	return fmt.Sprintf("/proc/%d/ns/net", pid)
}

// CreateNamespace makes a new, empty network namespace, holding only a
// loopback device that is down, and pins it at path, a file that can be
// given to Attach or to a container's spec (linux.namespaces[].path).
// `ip netns add NAME` does the same at /run/netns/NAME.
//
// A namespace lives while a process is in it or a file refers to it. The
// pin is a bind mount of the namespace's nsfs file onto path, so the
// namespace outlives the thread that made it, until DeleteNamespace.
func CreateNamespace(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create netns %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create netns %s: %w", path, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create netns %s: %w", path, err)
	}
	f.Close()

	if err := inNewNamespace(func() error {
		return unix.Mount("/proc/thread-self/ns/net", path, "", unix.MS_BIND, "")
	}); err != nil {
		os.Remove(path)
		return fmt.Errorf("create netns %s: %w", path, err)
	}
	return nil
}

// inNewNamespace runs fn on an OS thread that has just unshared a new
// network namespace, then brings the thread back.
//
// unshare(2) moves only the calling thread, and the Go runtime runs
// goroutines on whichever thread is free, so the goroutine locks itself
// to its thread for the whole trip. If it cannot return the thread to the
// original namespace it ends still locked, and the runtime then retires
// the thread instead of running other goroutines in the wrong namespace.
func inNewNamespace(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			errc <- fmt.Errorf("open own netns: %w", err)
			return
		}
		defer orig.Close()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("unshare: %w", err)
			return
		}
		fnErr := fn()
		if err := netns.Set(orig); err != nil {
			errc <- fmt.Errorf("return to own netns: %w", err)
			return
		}
		runtime.UnlockOSThread()
		errc <- fnErr
	}()
	return <-errc
}

// DeleteNamespace unpins the namespace at path and removes the file, as
// `ip netns delete NAME` does. The kernel frees the namespace, with the
// veth ends inside it, once no process is left in it. A path that does
// not exist is not an error.
func DeleteNamespace(path string) error {
	err := unix.Unmount(path, unix.MNT_DETACH)
	if err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("delete netns %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete netns %s: %w", path, err)
	}
	return nil
}
