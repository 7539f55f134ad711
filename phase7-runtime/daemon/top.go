package daemon

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"shibafu.dev/phase7-runtime/api"
)

// Top lists the processes of a running container, like `docker top`.
// The kernel says which processes those are: every process whose
// /proc/PID/ns/pid names the same PID namespace as the container's
// init. (Exec'd processes and health checks join that namespace too.)
func (d *Daemon) Top(ctx context.Context, idOrName string) (*api.Top, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, err
	}
	st := d.state(ctx, rec)
	if st.Status != api.StatusRunning {
		return nil, conflict(fmt.Errorf("top %s: the container is not running", rec.Name))
	}
	ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", st.Pid))
	if err != nil {
		return nil, fmt.Errorf("top %s: %w", rec.Name, err)
	}

	top := &api.Top{Titles: []string{"UID", "PID", "PPID", "CMD"}, Processes: [][]string{}}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("top %s: %w", rec.Name, err)
	}
	for _, dir := range dirs {
		if _, err := strconv.Atoi(dir.Name()); err != nil {
			continue // not a process
		}
		proc := filepath.Join("/proc", dir.Name())
		if other, err := os.Readlink(filepath.Join(proc, "ns", "pid")); err != nil || other != ns {
			continue // gone meanwhile, or in another namespace
		}
		if row, ok := processRow(proc, dir.Name()); ok {
			top.Processes = append(top.Processes, row)
		}
	}
	return top, nil
}

// processRow reads one row of Top from /proc/PID: the real UID (status),
// the parent's PID (field 4 of stat) and the command line.
func processRow(proc, pid string) ([]string, bool) {
	status, err := os.ReadFile(filepath.Join(proc, "status"))
	if err != nil {
		return nil, false
	}
	uid := "?"
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "Uid:" {
			uid = f[1]
		}
	}
	stat, err := os.ReadFile(filepath.Join(proc, "stat"))
	if err != nil {
		return nil, false
	}
	// The command name in parentheses may hold spaces: fields start
	// after the last ')'.
	rest := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(rest) < 2 {
		return nil, false
	}
	cmdline, _ := os.ReadFile(filepath.Join(proc, "cmdline"))
	cmd := strings.TrimSpace(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
	if cmd == "" {
		open := bytes.IndexByte(stat, '(')
		cmd = "[" + string(stat[open+1:bytes.LastIndexByte(stat, ')')]) + "]"
	}
	return []string{uid, pid, rest[1], cmd}, true
}
