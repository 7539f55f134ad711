package main

import (
	"os"
	"testing"

	"shibafu.dev/phase0-runc/testkit"
)

// TestMain also lets the test binary act as the command: the crash test
// starts it again with SHIBAFU_REGISTRY_MAIN=1 to get a registry process
// it can kill.
func TestMain(m *testing.M) {
	if os.Getenv("SHIBAFU_REGISTRY_MAIN") == "1" {
		main()
	}
	code := m.Run()
	testkit.RemoveBinaries()
	os.Exit(code)
}
