package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
)

// specFlags are the command-line flags that become bundle.Options.
type specFlags struct {
	env         []string
	cwd         string
	hostname    string
	readOnly    bool
	memory      string
	pidsLimit   int64
	ulimits     []string
	user        string
	hostNetwork bool
}

func (f *specFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable, NAME=value (repeatable)")
	fl.StringVarP(&f.cwd, "cwd", "w", "", `working directory inside the container (default "/")`)
	fl.StringVar(&f.hostname, "hostname", "", `host name inside the container (default "shibafu")`)
	fl.BoolVar(&f.readOnly, "read-only", false, "mount the root filesystem read-only")
	fl.StringVarP(&f.memory, "memory", "m", "", "memory limit, such as 64m or 1g")
	fl.Int64Var(&f.pidsLimit, "pids-limit", 0, "maximum number of processes (0: no limit)")
	fl.StringArrayVar(&f.ulimits, "ulimit", nil, "resource limit NAME=SOFT[:HARD], such as nofile=1024:2048")
	fl.StringVarP(&f.user, "user", "u", "", "UID[:GID] to run the process as (default 0:0)")
	fl.BoolVar(&f.hostNetwork, "host-network", false, "share the host's network namespace")
}

// options turns the flags and the command arguments into bundle.Options.
func (f *specFlags) options(args []string) (bundle.Options, error) {
	opts := bundle.Options{
		Args:        args,
		Env:         f.env,
		Cwd:         f.cwd,
		Hostname:    f.hostname,
		ReadOnly:    f.readOnly,
		PidsLimit:   f.pidsLimit,
		HostNetwork: f.hostNetwork,
	}
	if f.memory != "" {
		size, err := bundle.ParseSize(f.memory)
		if err != nil {
			return opts, fmt.Errorf("--memory: %w", err)
		}
		opts.MemoryLimit = size
	}
	for _, u := range f.ulimits {
		rl, err := bundle.ParseRlimit(u)
		if err != nil {
			return opts, fmt.Errorf("--ulimit: %w", err)
		}
		opts.Rlimits = append(opts.Rlimits, rl)
	}
	if f.user != "" {
		uid, gid, err := bundle.ParseUser(f.user)
		if err != nil {
			return opts, fmt.Errorf("--user: %w", err)
		}
		opts.UID, opts.GID = uid, gid
	}
	return opts, nil
}
