package launch_test

import (
	"os"
	"testing"

	"shibafu.dev/phase1-libcontainer/container"
)

// TestMain lets the test binary serve as a container's init and shim:
// package container re-executes its own binary for both.
func TestMain(m *testing.M) {
	container.Reexec()
	os.Exit(m.Run())
}
