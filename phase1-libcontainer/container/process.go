package container

import (
	"fmt"

	"github.com/opencontainers/runc/libcontainer"
	"github.com/opencontainers/runc/libcontainer/configs"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// ExecOptions describe a second process to start in a running container.
// Empty fields take the value of the container's own process.
type ExecOptions struct {
	// Args is the command and its arguments; it must not be empty.
	Args []string
	// Env is added to the container's environment, as NAME=value.
	Env []string
	// Cwd is the working directory inside the container.
	Cwd string
	// User, if set, replaces the container's user.
	User *specs.User
	// TTY gives the process a terminal: a new pseudo-terminal in the
	// container is its stdin, stdout and stderr, and Exec copies
	// Stdio.Stdin to it and its output to Stdio.Stdout (see console.go).
	TTY bool
	// Width and Height are the terminal's size in characters; 0 leaves
	// the kernel's default.
	Width, Height uint16
}

// newProcess turns an OCI process into a libcontainer one. Capabilities
// and no_new_privileges already live in the libcontainer config (specconv
// copies them there); resource limits do not, so they are set here.
func newProcess(p *specs.Process, stdio Stdio) (*libcontainer.Process, error) {
	lp := &libcontainer.Process{
		Args:   p.Args,
		Env:    p.Env,
		Cwd:    p.Cwd,
		UID:    int(p.User.UID),
		GID:    int(p.User.GID),
		Stdin:  stdio.Stdin,
		Stdout: stdio.Stdout,
		Stderr: stdio.Stderr,
	}
	for _, g := range p.User.AdditionalGids {
		lp.AdditionalGroups = append(lp.AdditionalGroups, int(g))
	}
	for _, rl := range p.Rlimits {
		resource, ok := rlimitResources[rl.Type]
		if !ok {
			return nil, fmt.Errorf("rlimit %q: unknown type", rl.Type)
		}
		lp.Rlimits = append(lp.Rlimits, configs.Rlimit{Type: resource, Soft: rl.Soft, Hard: rl.Hard})
	}
	return lp, nil
}

// execProcess is the container's own process with opts applied.
func execProcess(base *specs.Process, opts ExecOptions) *specs.Process {
	p := *base
	p.Args = opts.Args
	p.Env = append(append([]string(nil), base.Env...), opts.Env...)
	if opts.Cwd != "" {
		p.Cwd = opts.Cwd
	}
	if opts.User != nil {
		p.User = *opts.User
	}
	return &p
}

// rlimitResources maps the spec's names to setrlimit(2) resources.
var rlimitResources = map[string]int{
	"RLIMIT_AS": unix.RLIMIT_AS, "RLIMIT_CORE": unix.RLIMIT_CORE,
	"RLIMIT_CPU": unix.RLIMIT_CPU, "RLIMIT_DATA": unix.RLIMIT_DATA,
	"RLIMIT_FSIZE": unix.RLIMIT_FSIZE, "RLIMIT_LOCKS": unix.RLIMIT_LOCKS,
	"RLIMIT_MEMLOCK": unix.RLIMIT_MEMLOCK, "RLIMIT_MSGQUEUE": unix.RLIMIT_MSGQUEUE,
	"RLIMIT_NICE": unix.RLIMIT_NICE, "RLIMIT_NOFILE": unix.RLIMIT_NOFILE,
	"RLIMIT_NPROC": unix.RLIMIT_NPROC, "RLIMIT_RSS": unix.RLIMIT_RSS,
	"RLIMIT_RTPRIO": unix.RLIMIT_RTPRIO, "RLIMIT_RTTIME": unix.RLIMIT_RTTIME,
	"RLIMIT_SIGPENDING": unix.RLIMIT_SIGPENDING, "RLIMIT_STACK": unix.RLIMIT_STACK,
}
