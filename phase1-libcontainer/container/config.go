package container

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opencontainers/runc/libcontainer/configs"
	"github.com/opencontainers/runc/libcontainer/specconv"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/rootfs"
)

// autoRemoveKey is the annotation that marks a container for deletion
// when it exits; the shim reads it from config.json.
const autoRemoveKey = "dev.shibafu.auto-remove"

// reserve claims cfg.ID by making the container's directory, then fills
// it: a root filesystem if none was given, and config.json. mkdir(2) is
// atomic, so of two callers racing for one ID exactly one wins. On error
// nothing is left behind.
func (m *Manager) reserve(cfg Config) (dir string, spec *specs.Spec, err error) {
	if err := bundle.ValidateID(cfg.ID); err != nil {
		return "", nil, err
	}
	spec, err = prepareSpec(cfg)
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(m.dir(cfg.ID)), 0o711); err != nil {
		return "", nil, fmt.Errorf("make state root: %w", err)
	}
	dir = m.dir(cfg.ID)
	if err := os.Mkdir(dir, 0o711); errors.Is(err, os.ErrExist) {
		return "", nil, fmt.Errorf("%w: %s", ErrExists, cfg.ID)
	} else if err != nil {
		return "", nil, fmt.Errorf("make container dir: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()

	if cfg.Rootfs == "" {
		if err := rootfs.Busybox("", filepath.Join(dir, bundle.RootfsDir)); err != nil {
			return "", nil, fmt.Errorf("build busybox rootfs: %w", err)
		}
	}
	if err := bundle.WriteConfig(dir, spec); err != nil {
		return "", nil, err
	}
	return dir, absRoot(dir, spec), nil
}

// prepareSpec checks cfg and returns the spec to save: a deep copy of
// cfg.Spec with the root filesystem, cgroup path and annotations set.
func prepareSpec(cfg Config) (*specs.Spec, error) {
	if cfg.Spec == nil || cfg.Spec.Process == nil || len(cfg.Spec.Process.Args) == 0 {
		return nil, errors.New("spec: no process to run (process.args is empty)")
	}
	spec, err := copySpec(cfg.Spec)
	if err != nil {
		return nil, err
	}
	if spec.Root == nil {
		spec.Root = &specs.Root{}
	}
	spec.Root.Path = bundle.RootfsDir
	if cfg.Rootfs != "" {
		if spec.Root.Path, err = checkRootfs(cfg.Rootfs); err != nil {
			return nil, err
		}
	}
	if spec.Linux == nil {
		spec.Linux = &specs.Linux{}
	}
	if spec.Linux.CgroupsPath == "" {
		spec.Linux.CgroupsPath = CgroupParent + "/" + cfg.ID
	}
	if cfg.AutoRemove {
		if spec.Annotations == nil {
			spec.Annotations = map[string]string{}
		}
		spec.Annotations[autoRemoveKey] = "true"
	}
	return spec, nil
}

// checkRootfs returns the absolute path of a root filesystem directory.
func checkRootfs(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("rootfs %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("rootfs: %w", err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("rootfs %s: not a directory", path)
	}
	return abs, nil
}

// copySpec deep-copies a spec through its JSON form, the form it is
// saved in anyway.
func copySpec(spec *specs.Spec) (*specs.Spec, error) {
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("encode spec: %w", err)
	}
	var cp specs.Spec
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	return &cp, nil
}

// readSpec loads a container's config.json, with its root.path made
// absolute.
func readSpec(dir string) (*specs.Spec, error) {
	data, err := os.ReadFile(filepath.Join(dir, bundle.ConfigFile))
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	var spec specs.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("parse spec: %w", err)
	}
	if spec.Root == nil || spec.Process == nil {
		return nil, errors.New("parse spec: no root or process")
	}
	return absRoot(dir, &spec), nil
}

// absRoot resolves a relative root.path against the container directory,
// since libcontainer would resolve it against the current directory.
func absRoot(dir string, spec *specs.Spec) *specs.Spec {
	if !filepath.IsAbs(spec.Root.Path) {
		spec.Root.Path = filepath.Join(dir, spec.Root.Path)
	}
	return spec
}

// autoRemove reports whether the spec asks for deletion on exit.
func autoRemove(spec *specs.Spec) bool {
	return spec.Annotations[autoRemoveKey] == "true"
}

// libcontainerConfig converts the OCI spec into libcontainer's own
// configuration (namespaces as clone flags, mounts with parsed flags,
// cgroup resources), as `runc create` does.
func libcontainerConfig(id string, spec *specs.Spec) (*configs.Config, error) {
	cfg, err := specconv.CreateLibcontainerConfig(&specconv.CreateOpts{
		CgroupName: id,
		Spec:       spec,
	})
	if err != nil {
		return nil, fmt.Errorf("convert spec: %w", err)
	}
	return cfg, nil
}
