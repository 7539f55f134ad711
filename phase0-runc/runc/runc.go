package runc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"shibafu.dev/phase0-runc/bundle"
)

// DefaultRoot is where Shibafu keeps runc's container state, apart from
// runc's own default (/run/runc) so that the two never mix.
const DefaultRoot = "/run/shibafu/runc"

// Runtime runs bundles with the runc binary. The zero value uses "runc"
// from PATH and DefaultRoot.
type Runtime struct {
	// Binary is the runc executable; empty means "runc" found on PATH.
	Binary string
	// Root is runc's state directory (its --root flag).
	Root string
}

// Stdio holds the streams a foreground container is attached to. Nil
// streams are connected to /dev/null.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Container is one entry of `runc list` or `runc state`.
type Container struct {
	ID      string    `json:"id"`
	PID     int       `json:"pid"`
	Status  string    `json:"status"`
	Bundle  string    `json:"bundle"`
	Created time.Time `json:"created"`
}

// ErrNotFound means runc knows no container with the given ID.
var ErrNotFound = errors.New("container does not exist")

func (r *Runtime) binary() string {
	if r.Binary == "" {
		return "runc"
	}
	return r.Binary
}

func (r *Runtime) root() string {
	if r.Root == "" {
		return DefaultRoot
	}
	return r.Root
}

// command builds `runc --root ROOT --log LOG --log-format json ARGS...`.
// runc writes its own errors to the log file, so they cannot be confused
// with the container's output on stderr.
func (r *Runtime) command(ctx context.Context, logFile string, args ...string) *exec.Cmd {
	full := []string{"--root", r.root(), "--log", logFile, "--log-format", "json"}
	return exec.CommandContext(ctx, r.binary(), append(full, args...)...)
}

// Run runs the bundle in dir as container id in the foreground, the
// equivalent of `runc run --bundle DIR ID`, and returns the exit code of
// the container's process. A container killed by a signal returns
// 128+signal, as a shell does. err is set only when runc itself failed:
// bad bundle, existing ID, or a failure to create the container.
func (r *Runtime) Run(ctx context.Context, id, dir string, stdio Stdio) (int, error) {
	if err := bundle.ValidateID(id); err != nil {
		return -1, err
	}
	b, err := bundle.Load(dir)
	if err != nil {
		return -1, err
	}
	log, err := r.logFile()
	if err != nil {
		return -1, err
	}
	defer os.Remove(log)

	cmd := r.command(ctx, log, "run", "--bundle", b.Dir, id)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdio.Stdin, stdio.Stdout, stdio.Stderr
	runErr := cmd.Run()
	if runErr == nil {
		return 0, nil
	}
	var exitErr *exec.ExitError
	if !errors.As(runErr, &exitErr) {
		return -1, fmt.Errorf("runc run %s: %w", id, runErr)
	}
	if msg := runcError(log); msg != "" {
		return -1, fmt.Errorf("runc run %s: %s", id, strings.TrimPrefix(msg, "runc run failed: "))
	}
	return exitCode(exitErr), nil
}

// exitCode turns how runc ended into the container's exit code. runc
// itself exits with the code of the container's process, or 128+N when a
// signal N killed it.
func exitCode(err *exec.ExitError) int {
	if ws, ok := err.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return err.ExitCode()
}

// Start starts the bundle in dir as container id in the background, like
// `runc run --detach`. The container's output goes to logPath.
func (r *Runtime) Start(ctx context.Context, id, dir, logPath string) error {
	if err := bundle.ValidateID(id); err != nil {
		return err
	}
	b, err := bundle.Load(dir)
	if err != nil {
		return err
	}
	out, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("container log: %w", err)
	}
	defer out.Close()

	_, err = r.run(ctx, []string{"run", "--detach", "--bundle", b.Dir, id}, out)
	return err
}

// List returns every container runc knows under Root (`runc list`).
func (r *Runtime) List(ctx context.Context) ([]Container, error) {
	out, err := r.run(ctx, []string{"list", "--format", "json"}, nil)
	if err != nil {
		return nil, err
	}
	var list []Container
	if s := strings.TrimSpace(string(out)); s != "" && s != "null" {
		if err := json.Unmarshal(out, &list); err != nil {
			return nil, fmt.Errorf("parse runc list: %w", err)
		}
	}
	return list, nil
}

// State returns the state of container id (`runc state ID`).
func (r *Runtime) State(ctx context.Context, id string) (*Container, error) {
	if err := bundle.ValidateID(id); err != nil {
		return nil, err
	}
	out, err := r.run(ctx, []string{"state", id}, nil)
	if err != nil {
		return nil, err
	}
	var c Container
	if err := json.Unmarshal(out, &c); err != nil {
		return nil, fmt.Errorf("parse runc state: %w", err)
	}
	return &c, nil
}

// Kill sends signal (a name such as "TERM" or "KILL", or a number) to the
// container's init process (`runc kill ID SIGNAL`).
func (r *Runtime) Kill(ctx context.Context, id, signal string) error {
	if err := bundle.ValidateID(id); err != nil {
		return err
	}
	_, err := r.run(ctx, []string{"kill", id, signal}, nil)
	return err
}

// Delete removes the state of stopped container id (`runc delete ID`);
// with force it kills a running container first.
func (r *Runtime) Delete(ctx context.Context, id string, force bool) error {
	if err := bundle.ValidateID(id); err != nil {
		return err
	}
	args := []string{"delete", id}
	if force {
		args = []string{"delete", "--force", id}
	}
	_, err := r.run(ctx, args, nil)
	return err
}

// run runs a runc subcommand and returns its standard output. On failure
// the error carries runc's own message from its log.
func (r *Runtime) run(ctx context.Context, args []string, stdout io.Writer) ([]byte, error) {
	log, err := r.logFile()
	if err != nil {
		return nil, err
	}
	defer os.Remove(log)

	var buf bytes.Buffer
	cmd := r.command(ctx, log, args...)
	cmd.Stdout = &buf
	if stdout != nil {
		cmd.Stdout = stdout
		cmd.Stderr = stdout
	}
	if err := cmd.Run(); err != nil {
		msg := runcError(log)
		if msg == "" {
			msg = err.Error()
		}
		if strings.Contains(msg, "does not exist") {
			return nil, fmt.Errorf("runc %s: %w", args[0], ErrNotFound)
		}
		return nil, fmt.Errorf("runc %s: %s", args[0], msg)
	}
	return buf.Bytes(), nil
}

// logFile makes an empty file for runc's log, in the state root.
func (r *Runtime) logFile() (string, error) {
	if err := os.MkdirAll(r.root(), 0o700); err != nil {
		return "", fmt.Errorf("runc root: %w", err)
	}
	f, err := os.CreateTemp(r.root(), ".log-*.json")
	if err != nil {
		return "", fmt.Errorf("runc log: %w", err)
	}
	f.Close()
	return f.Name(), nil
}

// runcError returns the message of the last error-level entry in a runc
// JSON log, or "" if runc logged no error.
func runcError(path string) string {
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		return ""
	}
	defer f.Close()
	var msg string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var entry struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		if json.Unmarshal(sc.Bytes(), &entry) == nil && (entry.Level == "error" || entry.Level == "fatal") {
			msg = entry.Msg
		}
	}
	return msg
}
