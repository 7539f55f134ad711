// Command shibafu-net gives containers networks: Linux bridges, veth
// pairs, addresses from a persistent pool, masquerade and isolation
// rules. It is phase 2 of Shibafu, a small CLI over packages network and
// sandbox; like the phase 1 CLI it also serves as each container's init
// and shim, so main calls container.Reexec first.
package main

import (
	"errors"
	"fmt"
	"os"

	"shibafu.dev/phase1-libcontainer/container"
)

// errorExit is the exit code for shibafu-net's own failures, as docker
// uses it, so they differ from a container's exit code.
const errorExit = 125

func main() {
	container.Reexec()

	err := newRootCmd().Execute()
	var exit exitError
	if errors.As(err, &exit) {
		// The container's output already said what happened.
		os.Exit(exit.code)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shibafu-net:", err)
		os.Exit(errorExit)
	}
}

// exitError carries a container's exit code out of `shibafu-net run`.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exited with code %d", e.code) }
