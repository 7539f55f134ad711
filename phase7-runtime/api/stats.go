package api

import "time"

// Stats is one sample of a container's resource usage, the body of GET
// /v1/containers/{id}/stats. The daemon takes one of every running
// container every few seconds: CPU, memory and process counts from its
// cgroups (phase 1), network counters from its veths (netlink).
type Stats struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Read is when the sample was taken.
	Read time.Time `json:"read"`
	// CPUNanos is the CPU time its processes used since it started.
	CPUNanos uint64 `json:"cpuNanos"`
	// CPUPercent is its CPU use between the two latest samples, where
	// 100 is one CPU kept busy all the time (as docker stats shows it).
	CPUPercent float64 `json:"cpuPercent"`
	// MemoryBytes is the memory it uses now; MemoryLimit its limit, 0
	// for none.
	MemoryBytes uint64 `json:"memoryBytes"`
	MemoryLimit uint64 `json:"memoryLimit,omitempty"`
	// Pids is the number of its processes and threads; PidsLimit the
	// most it may have, 0 for no limit.
	Pids      uint64 `json:"pids"`
	PidsLimit uint64 `json:"pidsLimit,omitempty"`
	// Networks are the counters of each of its interfaces.
	Networks []NetworkStats `json:"networks,omitempty"`
}

// NetworkStats are the traffic counters of one of a container's
// interfaces, seen from inside the container.
type NetworkStats struct {
	Network   string `json:"network"`
	Interface string `json:"interface"`
	RxBytes   uint64 `json:"rxBytes"`
	TxBytes   uint64 `json:"txBytes"`
	RxPackets uint64 `json:"rxPackets"`
	TxPackets uint64 `json:"txPackets"`
}
