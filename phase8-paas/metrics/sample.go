package metrics

import (
	"context"
	"sort"
	"time"

	rtapi "shibafu.dev/phase7-runtime/api"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/deploy"
)

// Sample takes one point of every app: Run calls it each Interval.
func (c *Collector) Sample(ctx context.Context) {
	rs, err := c.Replicas(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.logger().Warn("list the replicas", "err", err)
		}
		return
	}
	now := time.Now().UTC()
	usage := map[string]api.ReplicaMetrics{}
	for _, r := range rs {
		if r.State != rtapi.StatusRunning {
			continue
		}
		// The runtime answers from the sample it took last (every 2 s by
		// default), so this costs no cgroup reads of its own.
		st, err := c.Runtime.Stats(ctx, r.ID)
		if err != nil {
			continue // just started, or just gone
		}
		usage[r.ID] = api.ReplicaMetrics{Name: r.Name, Process: r.Process,
			CPUPercent: c.cpuPercent(r.ID, st), MemoryBytes: st.MemoryBytes,
			Restarts: r.Restarts}
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	elapsed := now.Sub(c.lastTick).Seconds()
	c.lastTick = now
	byApp := map[string][]deploy.Running{}
	for _, r := range rs {
		if r.State == rtapi.StatusRunning {
			byApp[r.App] = append(byApp[r.App], r)
		}
		c.app(r.App)
	}
	for id := range c.cpu {
		if _, ok := usage[id]; !ok {
			delete(c.cpu, id)
		}
	}
	for name, m := range c.apps {
		m.point(now, elapsed, byApp[name], usage)
	}
}

// point adds the app's point at now from its running replicas and the
// traffic counted since the point before, elapsed seconds ago.
func (m *appMetrics) point(now time.Time, elapsed float64, rs []deploy.Running,
	usage map[string]api.ReplicaMetrics) {
	p := api.MetricPoint{Time: now, Replicas: len(rs),
		Processes: map[string]api.ProcessPoint{}}
	m.replicas = m.replicas[:0]
	var cpu float64
	for _, r := range rs {
		u, ok := usage[r.ID]
		if !ok {
			u = api.ReplicaMetrics{Name: r.Name, Process: r.Process, Restarts: r.Restarts}
		}
		m.replicas = append(m.replicas, u)
		cpu += u.CPUPercent
		p.MemoryBytes += u.MemoryBytes
		pp := p.Processes[r.Process]
		pp.Replicas++
		pp.CPUPercent += u.CPUPercent // a sum until divided below
		p.Processes[r.Process] = pp
	}
	sort.Slice(m.replicas, func(i, j int) bool { return m.replicas[i].Name < m.replicas[j].Name })
	if len(rs) > 0 {
		p.CPUPercent = round(cpu / float64(len(rs)))
	}
	for name, pp := range p.Processes {
		pp.CPUPercent = round(pp.CPUPercent / float64(pp.Replicas))
		p.Processes[name] = pp
	}

	t := m.traffic
	m.traffic = traffic{}
	if elapsed > 0 {
		p.Requests = round(float64(t.requests) / elapsed)
		p.Errors = round(float64(t.errors) / elapsed)
	}
	ps := Percentiles(t.latencies, 50, 95, 99)
	p.P50, p.P95, p.P99 = round(ps[0]), round(ps[1]), round(ps[2])
	m.points.Push(p)
}

// cpuPercent is a replica's CPU use since the runtime's sample before,
// in percent of its limit: the CPU time it used (from its cgroup)
// divided by the time that passed. Between two samples of the runtime
// it is the same as at the first.
func (c *Collector) cpuPercent(id string, st *rtapi.Stats) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cpu == nil {
		c.cpu = map[string]cpuSample{}
	}
	limit := c.CPUs
	if limit <= 0 {
		limit = 1
	}
	prev, ok := c.cpu[id]
	s := cpuSample{read: st.Read, nanos: st.CPUNanos, percent: st.CPUPercent / limit}
	switch {
	case ok && !st.Read.After(prev.read):
		s.percent = prev.percent
	case ok && st.CPUNanos >= prev.nanos:
		busy := float64(st.CPUNanos-prev.nanos) / float64(st.Read.Sub(prev.read))
		s.percent = busy * 100 / limit
	}
	c.cpu[id] = s
	return round(s.percent)
}

// round keeps two decimals, enough for a percentage or a rate.
func round(v float64) float64 {
	return float64(int64(v*100+0.5)) / 100
}
