package container

import (
	"fmt"
	"math"
)

// Stats are a container's resource usage, read from its cgroups.
type Stats struct {
	// CPUNanos is the CPU time its processes used, in nanoseconds
	// (cpuacct.usage on v1, usage_usec in cpu.stat on v2).
	CPUNanos uint64 `json:"cpuNanos"`
	// MemoryBytes is the memory it uses now, page cache included
	// (memory.usage_in_bytes on v1, memory.current on v2).
	MemoryBytes uint64 `json:"memoryBytes"`
	// MemoryLimit is its memory limit in bytes; 0 means none.
	MemoryLimit uint64 `json:"memoryLimit,omitempty"`
	// Pids is the number of its processes and threads (pids.current).
	Pids uint64 `json:"pids"`
	// PidsLimit is the most it may have (pids.max); 0 means no limit.
	PidsLimit uint64 `json:"pidsLimit,omitempty"`
}

// unlimited is above any real limit: cgroup v1 reports "no memory limit"
// as a huge number (the largest page-aligned int64).
const unlimited = math.MaxInt64 / 2

// Stats reads the resource usage of a running or paused container.
func (m *Manager) Stats(id string) (Stats, error) {
	c, err := m.load(id)
	if err != nil {
		return Stats{}, err
	}
	s, err := c.Stats()
	if err != nil {
		return Stats{}, fmt.Errorf("stats %s: %w", id, lcError(err))
	}
	cg := s.CgroupStats
	if cg == nil {
		return Stats{}, fmt.Errorf("stats %s: no cgroup statistics", id)
	}
	out := Stats{
		CPUNanos:    cg.CpuStats.CpuUsage.TotalUsage,
		MemoryBytes: cg.MemoryStats.Usage.Usage,
		MemoryLimit: cg.MemoryStats.Usage.Limit,
		Pids:        cg.PidsStats.Current,
		PidsLimit:   cg.PidsStats.Limit,
	}
	if out.MemoryLimit > unlimited {
		out.MemoryLimit = 0
	}
	if out.PidsLimit > unlimited {
		out.PidsLimit = 0
	}
	return out, nil
}
