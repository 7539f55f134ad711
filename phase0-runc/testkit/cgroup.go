package testkit

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CgroupFile returns the path of file in the cgroup that process pid
// belongs to for controller (such as "memory" or "pids"). On a cgroup v1
// host that is /sys/fs/cgroup/CONTROLLER/PATH/FILE; on a v2 host it is
// /sys/fs/cgroup/PATH/FILE, and v1 file names are translated to their v2
// equivalents (memory.limit_in_bytes becomes memory.max).
func CgroupFile(t testing.TB, pid int, controller, file string) string {
	t.Helper()
	v1, v2, err := cgroupPaths(pid, controller)
	if err != nil {
		t.Fatalf("cgroup of pid %d: %v", pid, err)
	}
	if v1 != "" {
		return filepath.Join("/sys/fs/cgroup", controller, v1, file)
	}
	if v2file, ok := v2Names[file]; ok {
		file = v2file
	}
	return filepath.Join("/sys/fs/cgroup", v2, file)
}

// IsCgroup2 reports whether the host uses the unified cgroup v2 hierarchy
// alone.
func IsCgroup2() bool {
	_, err := os.Stat("/sys/fs/cgroup/cgroup.controllers")
	return err == nil
}

var v2Names = map[string]string{
	"memory.limit_in_bytes": "memory.max",
	"memory.usage_in_bytes": "memory.current",
	"pids.max":              "pids.max",
}

// cgroupPaths reads /proc/PID/cgroup, where each line is
// "ID:CONTROLLERS:PATH" (v1) or "0::PATH" (v2).
func cgroupPaths(pid int, controller string) (v1, v2 string, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			v2 = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == controller {
				v1 = parts[2]
			}
		}
	}
	if v1 == "" && (v2 == "" || !IsCgroup2()) {
		return "", "", fmt.Errorf("no %s controller", controller)
	}
	return v1, v2, sc.Err()
}

// ReadFile returns the trimmed content of a file, failing the test if it
// cannot be read.
func ReadFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return strings.TrimSpace(string(data))
}
