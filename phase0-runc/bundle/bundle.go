package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/statefile"
)

// ConfigFile is the name of the runtime configuration inside a bundle.
const ConfigFile = "config.json"

// ErrNoConfig means a directory has no config.json, so it is not a bundle.
var ErrNoConfig = errors.New("no config.json: not an OCI bundle (run shibafu-bundle init first)")

// Bundle is an OCI bundle on disk: a directory holding config.json and the
// root filesystem it names.
type Bundle struct {
	// Dir is the bundle directory, an absolute path.
	Dir string
	// Spec is the parsed config.json.
	Spec *specs.Spec
}

// Rootfs returns the absolute path of the bundle's root filesystem.
func (b *Bundle) Rootfs() string {
	root := b.Spec.Root.Path
	if filepath.IsAbs(root) {
		return root
	}
	return filepath.Join(b.Dir, root)
}

// WriteConfig writes spec as dir/config.json, atomically: readers see
// either the old file or the whole new one, never half of it.
func WriteConfig(dir string, spec *specs.Spec) error {
	data, err := json.MarshalIndent(spec, "", "\t")
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	return statefile.WriteFile(filepath.Join(dir, ConfigFile), append(data, '\n'), 0o644)
}

// Load reads the bundle in dir and checks that it can be run: config.json
// parses, names a process and a root filesystem, and that root exists.
func Load(dir string) (*Bundle, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(abs, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		if _, statErr := os.Stat(abs); statErr != nil {
			return nil, fmt.Errorf("bundle %s: %w", dir, statErr)
		}
		return nil, fmt.Errorf("bundle %s: %w", dir, ErrNoConfig)
	}
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", dir, err)
	}

	var spec specs.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("bundle %s: parse %s: %w", dir, ConfigFile, err)
	}
	b := &Bundle{Dir: abs, Spec: &spec}
	if err := b.check(); err != nil {
		return nil, fmt.Errorf("bundle %s: %w", dir, err)
	}
	return b, nil
}

func (b *Bundle) check() error {
	if b.Spec.Root == nil || b.Spec.Root.Path == "" {
		return errors.New("config.json has no root.path")
	}
	if b.Spec.Process == nil || len(b.Spec.Process.Args) == 0 {
		return errors.New("config.json has no process.args")
	}
	info, err := os.Stat(b.Rootfs())
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("root filesystem %s does not exist (give init a --rootfs or --busybox)", b.Rootfs())
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("root filesystem %s is not a directory", b.Rootfs())
	}
	return nil
}
