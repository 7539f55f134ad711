package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase1-libcontainer/container"
)

// specFlags are the flags of run and create that describe a container.
type specFlags struct {
	name      string
	rootfs    string
	remove    bool
	env       []string
	cwd       string
	hostname  string
	readOnly  bool
	memory    string
	pidsLimit int64
	cpus      float64
	user      string
}

func (f *specFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	// Flags after the command belong to the command, as in docker run.
	fl.SetInterspersed(false)
	fl.StringVar(&f.name, "name", "", "container ID (default: a random one)")
	fl.StringVar(&f.rootfs, "rootfs", "", "root filesystem (default: a fresh busybox tree)")
	fl.BoolVar(&f.remove, "rm", false, "delete the container when it exits")
	fl.StringArrayVarP(&f.env, "env", "e", nil, "environment variable NAME=value (repeatable)")
	fl.StringVarP(&f.cwd, "workdir", "w", "", `working directory inside the container (default "/")`)
	fl.StringVar(&f.hostname, "hostname", "", `host name inside the container (default "shibafu")`)
	fl.BoolVar(&f.readOnly, "read-only", false, "mount the root filesystem read-only")
	fl.StringVarP(&f.memory, "memory", "m", "", "memory limit, such as 64m or 1g")
	fl.Int64Var(&f.pidsLimit, "pids-limit", 0, "maximum number of processes (0: no limit)")
	fl.Float64Var(&f.cpus, "cpus", 0, "CPU limit in cores, such as 0.5 (0: no limit)")
	fl.StringVarP(&f.user, "user", "u", "", "UID[:GID] to run the process as (default 0:0)")
}

// config turns the flags and the command line into a container config.
// It checks everything before anything is created.
func (f *specFlags) config(args []string) (container.Config, error) {
	opts := bundle.Options{
		Args: args, Env: f.env, Cwd: f.cwd, Hostname: f.hostname,
		ReadOnly: f.readOnly, PidsLimit: f.pidsLimit,
	}
	if f.memory != "" {
		size, err := bundle.ParseSize(f.memory)
		if err != nil {
			return container.Config{}, fmt.Errorf("--memory: %w", err)
		}
		opts.MemoryLimit = size
	}
	if f.user != "" {
		uid, gid, err := bundle.ParseUser(f.user)
		if err != nil {
			return container.Config{}, fmt.Errorf("--user: %w", err)
		}
		opts.UID, opts.GID = uid, gid
	}
	spec, err := bundle.Spec(opts)
	if err != nil {
		return container.Config{}, err
	}
	if err := setCPUs(spec, f.cpus); err != nil {
		return container.Config{}, err
	}

	id := f.name
	if id == "" {
		id = randomID()
	}
	if err := bundle.ValidateID(id); err != nil {
		return container.Config{}, fmt.Errorf("--name: %w", err)
	}
	return container.Config{ID: id, Spec: spec, Rootfs: f.rootfs, AutoRemove: f.remove}, nil
}

// cfsPeriod is the CFS scheduling period, in microseconds, that --cpus
// is a share of: 0.5 CPUs is a quota of 50 ms in every 100 ms.
const cfsPeriod = 100_000

// setCPUs sets the CPU bandwidth limit (cpu.cfs_quota_us on cgroup v1,
// cpu.max on v2).
func setCPUs(spec *specs.Spec, cpus float64) error {
	if cpus == 0 {
		return nil
	}
	if cpus < 0.01 || math.IsNaN(cpus) || cpus > 1024 {
		return fmt.Errorf("--cpus %g: want a number of cores from 0.01 to 1024", cpus)
	}
	quota, period := int64(cpus*cfsPeriod), uint64(cfsPeriod)
	spec.Linux.Resources.CPU = &specs.LinuxCPU{Quota: &quota, Period: &period}
	return nil
}

// randomID returns 12 random hex digits, as docker's short IDs look.
func randomID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
