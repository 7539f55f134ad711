package build

import (
	"os"
	"testing"

	"shibafu.dev/phase8-paas/paastest"
)

// TestMain removes the daemon that paastest built. The test binary
// runs no container itself, so it needs no container.Reexec.
func TestMain(m *testing.M) {
	code := m.Run()
	paastest.RemoveShibafud()
	os.Exit(code)
}
