package container

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/opencontainers/runc/libcontainer"
	"golang.org/x/sys/unix"

	"shibafu.dev/phase0-runc/statefile"
)

// Exit is how a container's process ended.
type Exit struct {
	// Code is the exit code, or 128+N when signal N killed the process,
	// as a shell reports it.
	Code int `json:"code"`
	// Signal names the signal that killed the process, such as
	// "SIGKILL"; empty when it exited by itself.
	Signal string `json:"signal,omitempty"`
	// OOMKilled is true when the kernel's OOM killer killed a process of
	// the container because its memory cgroup was full.
	OOMKilled bool `json:"oomKilled,omitempty"`
	// FinishedAt is when the exit was seen.
	FinishedAt time.Time `json:"finishedAt"`
}

// exitOf reads the wait(2) status of a finished process.
func exitOf(state *os.ProcessState) Exit {
	e := Exit{Code: -1, FinishedAt: time.Now().UTC()}
	if state == nil {
		return e
	}
	ws, ok := state.Sys().(syscall.WaitStatus)
	switch {
	case ok && ws.Signaled():
		e.Code = 128 + int(ws.Signal())
		e.Signal = unix.SignalName(ws.Signal())
	default:
		e.Code = state.ExitCode()
	}
	return e
}

// oomKills returns how many processes the OOM killer has killed in the
// container's memory cgroup: "oom_kill N" in memory.oom_control (v1) or
// memory.events (v2). It must be read before the cgroup is destroyed.
func oomKills(c *libcontainer.Container) int {
	st, err := c.State()
	if err != nil {
		return 0
	}
	if dir := st.CgroupPaths["memory"]; dir != "" {
		return counter(filepath.Join(dir, "memory.oom_control"), "oom_kill")
	}
	if dir := st.CgroupPaths[""]; dir != "" {
		return counter(filepath.Join(dir, "memory.events"), "oom_kill")
	}
	return 0
}

// counter finds "NAME VALUE" in a flat-keyed cgroup file.
func counter(path, name string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if value, ok := strings.CutPrefix(line, name+" "); ok {
			n, _ := strconv.Atoi(value)
			return n
		}
	}
	return 0
}

// writeExit records e as dir/exit.json atomically: written to a temporary
// file, synced, then renamed, so a reader never sees half a record.
func writeExit(dir string, e Exit) error {
	if err := statefile.WriteJSON(filepath.Join(dir, exitFile), e); err != nil {
		return fmt.Errorf("record exit: %w", err)
	}
	return nil
}

// readExit reads dir/exit.json; the error wraps os.ErrNotExist when the
// container has not exited or its exit was never recorded.
func readExit(dir string) (*Exit, error) {
	data, err := os.ReadFile(filepath.Join(dir, exitFile))
	if err != nil {
		return nil, err
	}
	var e Exit
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("parse %s: %w", exitFile, err)
	}
	return &e, nil
}
