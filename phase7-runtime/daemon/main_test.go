package daemon

import (
	"os"
	"testing"

	"shibafu.dev/phase1-libcontainer/container"
)

// TestMain lets the test binary serve as a container's init and shim, as
// package container requires of every binary that links it.
func TestMain(m *testing.M) {
	container.Reexec()
	os.Exit(m.Run())
}
