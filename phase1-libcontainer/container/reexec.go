package container

import (
	"os"
	"runtime"

	// The device cgroup controller registers itself here; without it
	// libcontainer cannot apply the spec's device rules.
	_ "github.com/opencontainers/cgroups/devices"
	"github.com/opencontainers/runc/libcontainer"
	// nsenter is C code that runs before the Go runtime starts, when the
	// binary is re-executed as "init": it joins or creates the
	// namespaces while the process is still single-threaded, which Go
	// code cannot guarantee.
	_ "github.com/opencontainers/runc/libcontainer/nsenter"
)

// The hidden first arguments this package re-executes its own binary
// with, through /proc/self/exe.
const (
	initArg = "init" // libcontainer's container init (its name is fixed)
	shimArg = "shim" // the monitor of a detached container
)

// init keeps the main goroutine on the main thread for good (locking in
// init carries over to main). libcontainer serves each new container
// from a goroutine on a locked thread that joins the container's mount
// namespace, and ends it so that the Go runtime destroys that thread.
// The runtime never destroys the main thread: it would park it instead,
// stuck in the container's namespace for the life of the process, and
// /proc/self (which is the main thread) would then show the container's
// mounts. Owned by main, the main thread is never lent to other work.
func init() {
	runtime.LockOSThread()
}

// Reexec turns this process into what the package re-executed it as: a
// container's init (`BINARY init`, set up by libcontainer) or the shim of
// a detached container (`BINARY shim ROOT ID`). In those cases it never
// returns. Otherwise it returns at once.
//
// Every program that uses a Manager must call Reexec first thing in main,
// and test binaries in TestMain, before flags are parsed.
func Reexec() {
	if len(os.Args) < 2 {
		return
	}
	switch {
	case os.Args[1] == initArg:
		libcontainer.Init()
	case os.Args[1] == shimArg && len(os.Args) == 4:
		os.Exit(runShim(os.Args[2], os.Args[3]))
	}
}
