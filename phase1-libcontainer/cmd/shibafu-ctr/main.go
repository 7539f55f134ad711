// Command shibafu-ctr runs containers through libcontainer, the Go
// library inside runc: phase 1 of Shibafu. It is a small docker-like CLI
// over package container; the same binary also serves as each
// container's init and as the shim of detached containers.
package main

import (
	"errors"
	"fmt"
	"os"

	"shibafu.dev/phase1-libcontainer/container"
)

// errorExit is the exit code for shibafu-ctr's own failures, as docker
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
		fmt.Fprintln(os.Stderr, "shibafu-ctr:", err)
		os.Exit(errorExit)
	}
}

// exitError carries a container's exit code out of a command, so that
// `shibafu-ctr run` and `exec` exit as the container's process did.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exited with code %d", e.code) }

// exitWith turns a process's exit into the command's result.
func exitWith(exit container.Exit) error {
	if exit.Code != 0 {
		return exitError{exit.Code}
	}
	return nil
}
