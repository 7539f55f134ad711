package dns

import (
	"os"
	"testing"

	"shibafu.dev/phase1-libcontainer/container"
)

// TestMain lets the test binary serve as a container's init and shim,
// as package container requires of every program that starts
// containers: the lab tests do.
func TestMain(m *testing.M) {
	container.Reexec()
	os.Exit(m.Run())
}
