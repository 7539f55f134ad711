package container

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// A detached container needs a parent that outlives the command which
// started it: someone must wait(2) for its init to collect the exit
// status, and remove its cgroups when it ends. That parent is the shim,
// this same binary re-executed as `BINARY shim ROOT ID` in a session of
// its own, with stdio on /dev/null. The shim starts the container with
// its output going to log files, reports on a pipe that it is ready (or
// why it failed), then waits, records exit.json and exits. Killing the
// caller, or closing its terminal, does not touch the shim.

// shimReport is the one message a shim writes on its ready pipe.
type shimReport struct {
	Error string `json:"error,omitempty"`
}

// readyFd is the shim's ready pipe: the first of exec.Cmd.ExtraFiles.
const readyFd = 3

// spawnShim starts a shim for the container id, whose directory is
// ready, and waits until its init has been created.
func (m *Manager) spawnShim(ctx context.Context, id string) error {
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("shim pipe: %w", err)
	}
	defer r.Close()
	cmd := exec.Command("/proc/self/exe", shimArg, m.root(), id)
	cmd.Args[0] = filepath.Base(os.Args[0]) + "-shim"
	cmd.Dir = "/"
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	w.Close()
	if err != nil {
		return fmt.Errorf("start shim: %w", err)
	}
	// Reap the shim when it ends, if we are still running by then. If we
	// exit first, it is adopted (by PID 1 or a subreaper) and reaped there.
	go cmd.Wait()

	report := make(chan error, 1)
	go func() { report <- readReport(r) }()
	select {
	case err := <-report:
		return err
	case <-ctx.Done():
		cmd.Process.Kill()
		return ctx.Err()
	}
}

// readReport decodes the shim's message; a shim that dies without one
// closes the pipe, which reads as EOF.
func readReport(r io.Reader) error {
	var rep shimReport
	err := json.NewDecoder(r).Decode(&rep)
	if errors.Is(err, io.EOF) {
		return errors.New("shim exited without reporting")
	}
	if err != nil {
		return fmt.Errorf("read shim report: %w", err)
	}
	if rep.Error != "" {
		return errors.New(rep.Error)
	}
	return nil
}

// runShim is the shim's main function; it returns the exit code.
func runShim(root, id string) int {
	// The pipe must not leak into the container's init, or the caller
	// would wait for its EOF as long as the container lives.
	unix.CloseOnExec(readyFd)
	ready := os.NewFile(readyFd, "ready")

	m := &Manager{Root: root}
	mon, remove, err := m.shimStart(id)
	rep := shimReport{}
	if err != nil {
		rep.Error = err.Error()
	}
	json.NewEncoder(ready).Encode(rep)
	ready.Close()
	if err != nil {
		return 1
	}
	if _, err := mon.wait(remove); err != nil {
		return 1
	}
	return 0
}

// shimStart starts the container's init with its output appended to the
// log files in its directory.
func (m *Manager) shimStart(id string) (*monitor, bool, error) {
	dir := m.dir(id)
	spec, err := readSpec(dir)
	if err != nil {
		return nil, false, err
	}
	stdout, err := openLog(dir, stdoutLog)
	if err != nil {
		return nil, false, err
	}
	defer stdout.Close()
	stderr, err := openLog(dir, stderrLog)
	if err != nil {
		return nil, false, err
	}
	defer stderr.Close()

	mon, err := m.startMonitored(dir, id, spec, Stdio{Stdout: stdout, Stderr: stderr})
	return mon, autoRemove(spec), err
}

func openLog(dir, name string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	return f, nil
}
