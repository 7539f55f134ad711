package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase7-runtime/api"
)

// volume is one parsed `-v` spec.
type volume struct {
	// name is the named volume's name; empty for a bind mount.
	name string
	// source is the host path: the bind mount's, or the named volume's
	// directory.
	source   string
	target   string
	readOnly bool
}

// parseVolume reads a `-v` spec: SOURCE:TARGET[:ro|rw], where SOURCE is
// an absolute host path (a bind mount of that file or directory) or a
// volume name. TARGET must be an absolute path inside the container,
// without any ".." in it: the runtime resolves it inside the rootfs
// (securejoin), but a path that climbs is a mistake worth naming.
func (d *Daemon) parseVolume(spec string) (volume, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return volume{}, invalid(fmt.Errorf("volume %q: use SOURCE:TARGET[:ro]", spec))
	}
	v := volume{target: parts[1]}
	if len(parts) == 3 {
		switch parts[2] {
		case "ro":
			v.readOnly = true
		case "rw":
		default:
			return volume{}, invalid(fmt.Errorf("volume %q: mode %q: use ro or rw", spec, parts[2]))
		}
	}
	if err := checkPath("container path", v.target); err != nil {
		return volume{}, invalid(fmt.Errorf("volume %q: %w", spec, err))
	}

	src := parts[0]
	if !strings.HasPrefix(src, "/") {
		if err := checkName("volume", src); err != nil {
			return volume{}, err
		}
		v.name, v.source = src, d.volumePath(src)
		return v, nil
	}
	if err := checkPath("host path", src); err != nil {
		return volume{}, invalid(fmt.Errorf("volume %q: %w", spec, err))
	}
	if _, err := os.Stat(src); err != nil {
		return volume{}, invalid(fmt.Errorf("volume %q: host path: %w", spec, err))
	}
	v.source = src
	return v, nil
}

// checkPath reports whether p is absolute and free of ".." elements.
func checkPath(what, p string) error {
	if !filepath.IsAbs(p) {
		return fmt.Errorf("%s %q is not absolute", what, p)
	}
	if slices.Contains(strings.Split(p, "/"), "..") {
		return fmt.Errorf("%s %q climbs with \"..\"", what, p)
	}
	return nil
}

// volumeMounts parses the `-v` specs of a run into OCI bind mounts and
// creates the named volumes that do not exist yet. Bind mounts are what
// `mount --bind SOURCE ROOTFS/TARGET` does; libcontainer makes the
// mount point inside the rootfs if it is missing, and remounts a
// read-only one with MS_RDONLY.
func (d *Daemon) volumeMounts(vols []string) ([]specs.Mount, error) {
	var out []specs.Mount
	for _, s := range vols {
		v, err := d.parseVolume(s)
		if err != nil {
			return nil, err
		}
		if v.name != "" {
			if _, err := d.ensureVolume(v.name); err != nil {
				return nil, err
			}
		}
		opts := []string{"rbind", "rw"}
		if v.readOnly {
			opts[1] = "ro"
		}
		out = append(out, specs.Mount{Destination: v.target, Type: "bind",
			Source: v.source, Options: opts})
	}
	return out, nil
}

// volumePath is the directory of the named volume name.
func (d *Daemon) volumePath(name string) string {
	return filepath.Join(d.cfg.Root, "volumes", name)
}

// ensureVolume creates the volume name unless it exists, and says
// whether it did.
func (d *Daemon) ensureVolume(name string) (bool, error) {
	path := d.volumePath(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, fmt.Errorf("create volume %s: %w", name, err)
	}
	err := os.Mkdir(path, 0o755)
	if errors.Is(err, os.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create volume %s: %w", name, err)
	}
	return true, nil
}

// CreateVolume makes a named volume, like `docker volume create`.
func (d *Daemon) CreateVolume(req api.VolumeCreateRequest) (*api.Volume, error) {
	if err := checkName("volume", req.Name); err != nil {
		return nil, err
	}
	created, err := d.ensureVolume(req.Name)
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, conflict(fmt.Errorf("volume %s exists already", req.Name))
	}
	d.log.Info("volume created", "volume", req.Name)
	return d.volumeView(req.Name, nil), nil
}

// Volumes lists the named volumes and the containers that use them.
func (d *Daemon) Volumes() ([]api.Volume, error) {
	entries, err := os.ReadDir(filepath.Join(d.cfg.Root, "volumes"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	users, err := d.volumeUsers()
	if err != nil {
		return nil, err
	}
	out := []api.Volume{}
	for _, e := range entries {
		out = append(out, *d.volumeView(e.Name(), users[e.Name()]))
	}
	return out, nil
}

// RemoveVolume removes a named volume and its data. A volume that a
// container mounts, running or not, stays: remove the container first.
func (d *Daemon) RemoveVolume(name string) error {
	if err := checkName("volume", name); err != nil {
		return err
	}
	if _, err := os.Stat(d.volumePath(name)); errors.Is(err, os.ErrNotExist) {
		return notFound(fmt.Errorf("volume %s: no such volume", name))
	}
	users, err := d.volumeUsers()
	if err != nil {
		return err
	}
	if u := users[name]; len(u) > 0 {
		return conflict(fmt.Errorf("volume %s is in use by %s: remove those containers first",
			name, strings.Join(u, ", ")))
	}
	if err := os.RemoveAll(d.volumePath(name)); err != nil {
		return fmt.Errorf("remove volume %s: %w", name, err)
	}
	d.log.Info("volume removed", "volume", name)
	return nil
}

// volumeUsers maps each named volume to the containers that mount it.
func (d *Daemon) volumeUsers() (map[string][]string, error) {
	recs, err := d.db.list()
	if err != nil {
		return nil, err
	}
	users := map[string][]string{}
	for _, r := range recs {
		for _, s := range r.Config.Volumes {
			if name, _, ok := strings.Cut(s, ":"); ok && !strings.HasPrefix(name, "/") {
				users[name] = append(users[name], r.Name)
			}
		}
	}
	return users, nil
}

func (d *Daemon) volumeView(name string, users []string) *api.Volume {
	return &api.Volume{Name: name, Path: d.volumePath(name), UsedBy: users}
}
