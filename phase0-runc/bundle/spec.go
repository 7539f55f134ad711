package bundle

import (
	"errors"
	"fmt"
	"path"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// RootfsDir is the name of the root filesystem directory inside a bundle,
// as config.json refers to it.
const RootfsDir = "rootfs"

// Options are the knobs of a container's config.json that this phase
// exposes. The zero value gives a shell in a fresh set of namespaces with
// no resource limits.
type Options struct {
	// Args is the command and its arguments; empty means ["sh"].
	Args []string
	// Env is added to the default PATH and TERM, as NAME=value pairs.
	Env []string
	// Cwd is the working directory, an absolute path inside the
	// container; empty means "/".
	Cwd string
	// Hostname is set in the container's UTS namespace; empty means
	// "shibafu".
	Hostname string
	// ReadOnly mounts the root filesystem read-only.
	ReadOnly bool
	// MemoryLimit caps the container's memory cgroup, in bytes; 0 means
	// no limit.
	MemoryLimit int64
	// PidsLimit caps the number of processes in the pids cgroup; 0 means
	// no limit.
	PidsLimit int64
	// Rlimits replace the default RLIMIT_NOFILE of 1024.
	Rlimits []specs.POSIXRlimit
	// UID and GID are the user and group the process runs as.
	UID, GID uint32
	// HostNetwork keeps the host's network namespace instead of a new,
	// empty one.
	HostNetwork bool
	// CgroupsPath places the container's cgroups; empty lets the runtime
	// choose (runc uses the container ID).
	CgroupsPath string
}

// defaultCaps is the capability set Docker gives a container: enough to
// run ordinary services (bind low ports, change file owners, switch
// users), but not to load modules, change the clock or administer the
// host (CAP_SYS_ADMIN).
var defaultCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
	"CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
	"CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
	"CAP_AUDIT_WRITE",
}

// maskedPaths are hidden from the container (bind-mounted over with
// /dev/null or an empty tmpfs): they leak host details or allow attacks.
var maskedPaths = []string{
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
}

// readonlyPaths are visible but read-only: writing to them would change
// the host kernel, not just the container.
var readonlyPaths = []string{
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
}

// Spec returns an OCI runtime configuration for opts, built with the
// runtime-spec Go types: the same document `runc spec` writes, with
// Docker's defaults for capabilities and masked paths. It returns an
// error naming the first invalid option.
func Spec(opts Options) (*specs.Spec, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	args := opts.Args
	if len(args) == 0 {
		args = []string{"sh"}
	}
	cwd := opts.Cwd
	if cwd == "" {
		cwd = "/"
	}
	hostname := opts.Hostname
	if hostname == "" {
		hostname = "shibafu"
	}
	rlimits := opts.Rlimits
	if len(rlimits) == 0 {
		// Above the host's hard limit, setrlimit fails in the container's
		// init; 1024 is the conventional soft limit everywhere.
		rlimits = []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Hard: 1024, Soft: 1024}}
	}

	return &specs.Spec{
		Version: specs.Version,
		Root:    &specs.Root{Path: RootfsDir, Readonly: opts.ReadOnly},
		Process: &specs.Process{
			Args: args,
			Env:  append([]string{"PATH=" + defaultPath, "TERM=xterm"}, opts.Env...),
			Cwd:  cwd,
			User: specs.User{UID: opts.UID, GID: opts.GID},
			Capabilities: &specs.LinuxCapabilities{
				Bounding:  defaultCaps,
				Effective: defaultCaps,
				Permitted: defaultCaps,
			},
			Rlimits:         rlimits,
			NoNewPrivileges: true,
		},
		Hostname: hostname,
		Mounts:   defaultMounts(),
		Linux: &specs.Linux{
			Namespaces:    namespaces(opts.HostNetwork),
			Resources:     resources(opts),
			CgroupsPath:   opts.CgroupsPath,
			MaskedPaths:   maskedPaths,
			ReadonlyPaths: readonlyPaths,
		},
	}, nil
}

const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// namespaces lists the namespaces the container gets of its own. Each one
// is a clone(2) flag: CLONE_NEWPID, CLONE_NEWNS, and so on.
func namespaces(hostNetwork bool) []specs.LinuxNamespace {
	ns := []specs.LinuxNamespace{
		{Type: specs.PIDNamespace},
		{Type: specs.IPCNamespace},
		{Type: specs.UTSNamespace},
		{Type: specs.MountNamespace},
		{Type: specs.CgroupNamespace},
	}
	if !hostNetwork {
		ns = append(ns, specs.LinuxNamespace{Type: specs.NetworkNamespace})
	}
	return ns
}

// defaultMounts are the filesystems every Linux container needs: its own
// /proc for its PID namespace, a small /dev, /sys read-only, and its
// cgroups.
func defaultMounts() []specs.Mount {
	return []specs.Mount{
		{Destination: "/proc", Type: "proc", Source: "proc"},
		{Destination: "/dev", Type: "tmpfs", Source: "tmpfs",
			Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
		{Destination: "/dev/pts", Type: "devpts", Source: "devpts",
			Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}},
		{Destination: "/dev/shm", Type: "tmpfs", Source: "shm",
			Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
		{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue",
			Options: []string{"nosuid", "noexec", "nodev"}},
		{Destination: "/sys", Type: "sysfs", Source: "sysfs",
			Options: []string{"nosuid", "noexec", "nodev", "ro"}},
		{Destination: "/sys/fs/cgroup", Type: "cgroup", Source: "cgroup",
			Options: []string{"nosuid", "noexec", "nodev", "relatime", "ro"}},
	}
}

// resources turns the limits in opts into cgroup settings.
func resources(opts Options) *specs.LinuxResources {
	r := &specs.LinuxResources{
		// Deny every device by default; runc then allows the standard
		// ones it creates (null, zero, full, tty, random, urandom).
		Devices: []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
	}
	if opts.MemoryLimit > 0 {
		limit := opts.MemoryLimit
		r.Memory = &specs.LinuxMemory{Limit: &limit}
	}
	if opts.PidsLimit > 0 {
		limit := opts.PidsLimit
		r.Pids = &specs.LinuxPids{Limit: &limit}
	}
	return r
}

// minMemory is the smallest memory limit accepted: below about 6 MiB the
// runtime's own init process cannot start.
const minMemory = 6 << 20

func (o Options) validate() error {
	for _, arg := range o.Args {
		if strings.ContainsRune(arg, 0) {
			return errors.New("args: an argument contains a NUL byte")
		}
	}
	for _, kv := range o.Env {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || name == "" || strings.ContainsAny(name, " \x00") {
			return fmt.Errorf("env %q: want NAME=value", kv)
		}
	}
	if o.Cwd != "" && !path.IsAbs(o.Cwd) {
		return fmt.Errorf("cwd %q: must be an absolute path", o.Cwd)
	}
	if err := validHostname(o.Hostname); err != nil {
		return err
	}
	if o.MemoryLimit < 0 || (o.MemoryLimit > 0 && o.MemoryLimit < minMemory) {
		return fmt.Errorf("memory limit %d bytes: must be 0 (none) or at least %d", o.MemoryLimit, minMemory)
	}
	if o.PidsLimit < 0 {
		return fmt.Errorf("pids limit %d: must be 0 (none) or positive", o.PidsLimit)
	}
	for _, rl := range o.Rlimits {
		if !rlimitTypes[rl.Type] {
			return fmt.Errorf("rlimit %q: unknown type (want RLIMIT_NOFILE, RLIMIT_NPROC, ...)", rl.Type)
		}
		if rl.Soft > rl.Hard {
			return fmt.Errorf("rlimit %s: soft limit %d above hard limit %d", rl.Type, rl.Soft, rl.Hard)
		}
	}
	return nil
}

// rlimitTypes are the resource limits of setrlimit(2).
var rlimitTypes = map[string]bool{
	"RLIMIT_AS": true, "RLIMIT_CORE": true, "RLIMIT_CPU": true, "RLIMIT_DATA": true,
	"RLIMIT_FSIZE": true, "RLIMIT_LOCKS": true, "RLIMIT_MEMLOCK": true,
	"RLIMIT_MSGQUEUE": true, "RLIMIT_NICE": true, "RLIMIT_NOFILE": true,
	"RLIMIT_NPROC": true, "RLIMIT_RSS": true, "RLIMIT_RTPRIO": true,
	"RLIMIT_RTTIME": true, "RLIMIT_SIGPENDING": true, "RLIMIT_STACK": true,
}

// validHostname checks a host name against RFC 1123: labels of letters,
// digits and hyphens, at most 63 characters each and 253 in all.
func validHostname(name string) error {
	if name == "" {
		return nil
	}
	if len(name) > 253 {
		return fmt.Errorf("hostname %q: longer than 253 characters", name)
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("hostname %q: invalid label %q", name, label)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("hostname %q: invalid character %q", name, c)
			}
		}
	}
	return nil
}
