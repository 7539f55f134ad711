package container

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/bundle"
)

// DefaultRoot is the state root used when Manager.Root is empty.
const DefaultRoot = "/var/lib/shibafu"

// CgroupParent is the cgroup under which every container gets its own,
// CgroupParent/ID, unless its spec names a cgroupsPath. On a cgroup v1
// host that is /sys/fs/cgroup/CONTROLLER/shibafu/ID for each controller.
const CgroupParent = "/shibafu"

// Names of the files in a container's directory.
const (
	stdoutLog   = "stdout.log"
	stderrLog   = "stderr.log"
	exitFile    = "exit.json"
	monitorLock = "monitor.lock"
)

// Manager creates and controls containers under one state root. Its zero
// value uses DefaultRoot. A Manager holds no state in memory, so any
// number of them, in any number of processes, can share a root.
type Manager struct {
	// Root is the state root; empty means DefaultRoot.
	Root string
}

// Config describes a container to create.
type Config struct {
	// ID names the container; see bundle.ValidateID for the grammar.
	ID string
	// Spec is the OCI runtime configuration, such as bundle.Spec returns.
	// It is copied, not modified. Its root.path is replaced by Rootfs,
	// and an empty linux.cgroupsPath becomes CgroupParent/ID.
	Spec *specs.Spec
	// Rootfs is the container's root filesystem, a directory. Empty
	// means a fresh busybox tree built in the container's directory and
	// deleted with it.
	Rootfs string
	// AutoRemove deletes the container as soon as it exits, like
	// `docker run --rm`.
	AutoRemove bool
}

// Stdio holds the streams of a foreground process. Nil streams are
// connected to /dev/null.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

func (m *Manager) root() string {
	if m.Root == "" {
		return DefaultRoot
	}
	return m.Root
}

// dir is the container's own directory, its bundle and record.
func (m *Manager) dir(id string) string {
	return filepath.Join(m.root(), "containers", id)
}

// lcRoot is the directory libcontainer keeps its state in.
func (m *Manager) lcRoot() string {
	return filepath.Join(m.root(), "lc")
}

// existing checks that id is valid and names a container, and returns
// the container's directory.
func (m *Manager) existing(id string) (string, error) {
	if err := bundle.ValidateID(id); err != nil {
		return "", err
	}
	dir := m.dir(id)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%w: %s", ErrNotFound, id)
	} else if err != nil {
		return "", err
	}
	return dir, nil
}
