package daemon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase3-overlay/image"
	"shibafu.dev/phase3-overlay/launch"
	"shibafu.dev/phase4-ports/portmap"

	"shibafu.dev/phase7-runtime/api"
)

// plan is a run request checked in full before anything is created: a
// bad port spec or memory size must not leave half a container behind.
type plan struct {
	id       string
	name     string
	image    *image.Image
	spec     *specs.Spec
	networks []string
	// rootfs is the mounted snapshot, once prepared.
	rootfs string
}

// placeholderIP stands in for the container's address while port specs
// are checked: the real one is known only once a network is joined.
var placeholderIP = netip.MustParseAddr("10.0.0.2")

// newPlan validates req and builds the container's runtime spec from
// its image (the image-spec conversion of phase 3) and the limits,
// host name, working directory and user it asks for.
func (d *Daemon) newPlan(ctx context.Context, req api.RunRequest) (*plan, error) {
	p := &plan{id: newID(), name: req.Name, networks: req.Networks}
	if p.name == "" {
		p.name = p.id
	}
	if err := checkName("container", p.name); err != nil {
		return nil, err
	}
	if req.Image == "" {
		return nil, invalid(fmt.Errorf("no image given"))
	}
	if err := d.ensurePinned(ctx, req.Image); err != nil {
		return nil, err
	}
	img, err := d.images.Get(req.Image)
	if err != nil {
		return nil, notFound(fmt.Errorf("image %s: not in the store"+
			" (make one with `shibafu build-base %s`)", req.Image, req.Image))
	}
	p.image = img
	for _, spec := range req.Ports {
		if _, err := portmap.Parse(spec, placeholderIP); err != nil {
			return nil, categorize(err)
		}
	}
	for _, a := range aliasesOf(req) {
		if err := checkName("network alias", a); err != nil {
			return nil, err
		}
	}
	if err := checkHealthConfig(req.Health); err != nil {
		return nil, invalid(err)
	}
	if _, err := parseRestart(req.Restart); err != nil {
		return nil, invalid(err)
	}
	if req.AutoRemove && req.Restart != "" && req.Restart != restartNo {
		return nil, invalid(fmt.Errorf("--rm and --restart %s: a removed container"+
			" cannot restart, choose one", req.Restart))
	}
	if len(p.networks) == 0 {
		p.networks = []string{d.cfg.Network}
	}
	for _, n := range p.networks {
		if _, err := d.networks.Get(ctx, n); err != nil {
			return nil, categorize(err)
		}
	}
	if p.spec, err = runtimeSpec(img, req, p.name); err != nil {
		return nil, invalid(err)
	}
	mounts, err := d.volumeMounts(req.Volumes)
	if err != nil {
		return nil, err
	}
	p.spec.Mounts = append(p.spec.Mounts, mounts...)
	return p, nil
}

// runtimeSpec is the OCI spec of a container of img run as req asks.
// launch.Spec gives the image's process (entrypoint, cmd, env, cwd,
// user); bundle.Spec checks the options and turns the limits into
// cgroup settings.
func runtimeSpec(img *image.Image, req api.RunRequest, name string) (*specs.Spec, error) {
	if req.Entrypoint != nil {
		img = withEntrypoint(img, req.Entrypoint)
	}
	base, err := launch.Spec(img, req.Cmd, req.Env)
	if err != nil {
		return nil, err
	}
	opts := bundle.Options{
		Args:     base.Process.Args,
		Env:      req.Env,
		Cwd:      base.Process.Cwd,
		Hostname: req.Hostname,
		UID:      base.Process.User.UID,
		GID:      base.Process.User.GID,
		ReadOnly: req.ReadOnly,
	}
	if opts.Hostname == "" {
		opts.Hostname = name
	}
	if req.WorkingDir != "" {
		opts.Cwd = req.WorkingDir
	}
	if req.User != "" {
		if opts.UID, opts.GID, err = bundle.ParseUser(req.User); err != nil {
			return nil, err
		}
	}
	if req.Memory != "" {
		if opts.MemoryLimit, err = bundle.ParseSize(req.Memory); err != nil {
			return nil, fmt.Errorf("--memory: %w", err)
		}
	}
	opts.PidsLimit = req.PidsLimit

	spec, err := bundle.Spec(opts)
	if err != nil {
		return nil, err
	}
	spec.Process.Env = base.Process.Env
	if req.CPUs < 0 {
		return nil, fmt.Errorf("--cpus %g: cannot be negative", req.CPUs)
	}
	if req.CPUs > 0 {
		spec.Linux.Resources.CPU = cpuQuota(req.CPUs)
	}
	return spec, nil
}

// cpuPeriod is the CFS period that --cpus is counted in, docker's.
const cpuPeriod = 100_000 // µs

// cpuQuota turns --cpus into a CFS bandwidth limit (cpu.cfs_quota_us
// per cpu.cfs_period_us on cgroup v1, cpu.max on v2): in every period,
// the container's processes together may run cpus periods' worth.
func cpuQuota(cpus float64) *specs.LinuxCPU {
	period := uint64(cpuPeriod)
	quota := int64(cpus * cpuPeriod)
	return &specs.LinuxCPU{Period: &period, Quota: &quota}
}

// withEntrypoint returns a copy of img whose config has entrypoint and
// no Cmd, which is what docker run --entrypoint does.
func withEntrypoint(img *image.Image, entrypoint []string) *image.Image {
	c := *img
	c.Config.Config.Entrypoint = entrypoint
	c.Config.Config.Cmd = nil
	return &c
}

// newID returns a random container ID: 12 hex digits, like Docker's
// short IDs.
func newID() string {
	var b [6]byte
	rand.Read(b[:]) // never fails on Linux (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}
