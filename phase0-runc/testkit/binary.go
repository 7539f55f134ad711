package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var built struct {
	sync.Mutex
	dir   string
	paths map[string]string
}

// Binary builds the main package in the test's directory (the command
// under test) once per test binary and returns the path of the result.
// End-to-end tests run it so that every command is a fresh process, as a
// user's would be. TestMain must call RemoveBinaries after m.Run.
func Binary(t testing.TB, name string) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	if path, ok := built.paths[name]; ok {
		return path
	}
	if built.dir == "" {
		dir, err := os.MkdirTemp("", "sbfbin")
		if err != nil {
			t.Fatalf("make binary dir: %v", err)
		}
		built.dir, built.paths = dir, map[string]string{}
	}
	path := filepath.Join(built.dir, name)
	if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", name, err, out)
	}
	built.paths[name] = path
	return path
}

// RemoveBinaries deletes what Binary built.
func RemoveBinaries() {
	built.Lock()
	defer built.Unlock()
	if built.dir != "" {
		os.RemoveAll(built.dir)
		built.dir, built.paths = "", nil
	}
}
