package daemon

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vishvananda/netlink"

	"shibafu.dev/phase1-libcontainer/container"

	"shibafu.dev/phase7-runtime/api"
)

// samples holds the latest resource sample of every running container.
// One goroutine of the daemon (sampleLoop) fills it every StatsInterval;
// stats requests and the /metrics collector read it, so that neither
// touches the cgroup files more often than the interval, however many
// clients watch.
type samples struct {
	mu     sync.Mutex
	latest map[string]api.Stats // by container ID
}

func (s *samples) get(id string) (api.Stats, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.latest[id]
	return st, ok
}

// replace swaps in a new set of samples, dropping containers gone since.
func (s *samples) replace(latest map[string]api.Stats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latest = latest
}

// sampleLoop samples every running container each StatsInterval until
// the daemon closes.
func (d *Daemon) sampleLoop() {
	defer d.watchers.Done()
	t := time.NewTicker(d.cfg.StatsInterval)
	defer t.Stop()
	for {
		d.sampleAll()
		select {
		case <-d.closing:
			return
		case <-t.C:
		}
	}
}

// sampleAll takes a sample of each running container.
func (d *Daemon) sampleAll() {
	recs, err := d.db.list()
	if err != nil {
		d.log.Warn("cannot list containers to sample", "err", err)
		return
	}
	latest := map[string]api.Stats{}
	for _, rec := range recs {
		prev, _ := d.samples.get(rec.ID)
		if st, err := d.sample(rec, prev); err == nil {
			latest[rec.ID] = st
		}
	}
	d.samples.replace(latest)
}

// sample reads a container's cgroup counters (phase 1) and the counters
// of its host-side veths, and works out its CPU use since prev. It fails
// for a container that does not run.
func (d *Daemon) sample(rec *record, prev api.Stats) (api.Stats, error) {
	cg, err := d.containers.Stats(rec.ID)
	if err != nil {
		return api.Stats{}, categorize(err)
	}
	s := api.Stats{
		ID: rec.ID, Name: rec.Name, Read: time.Now(),
		CPUNanos: cg.CPUNanos, MemoryBytes: cg.MemoryBytes, MemoryLimit: cg.MemoryLimit,
		Pids: cg.Pids, PidsLimit: cg.PidsLimit,
		Networks: netStats(rec),
	}
	// A restarted container starts its CPU time from zero again.
	if !prev.Read.IsZero() && s.CPUNanos >= prev.CPUNanos {
		wall := s.Read.Sub(prev.Read)
		s.CPUPercent = 100 * float64(s.CPUNanos-prev.CPUNanos) / float64(wall.Nanoseconds())
	}
	return s, nil
}

// netStats reads the counters of the host end of each of the
// container's veth pairs (`ip -s link show VETH`). What the host end
// receives, the container sent, so rx and tx swap sides.
func netStats(rec *record) []api.NetworkStats {
	var out []api.NetworkStats
	for _, ep := range rec.Endpoints {
		link, err := netlink.LinkByName(ep.HostVeth)
		if err != nil || link.Attrs().Statistics == nil {
			continue
		}
		c := link.Attrs().Statistics
		out = append(out, api.NetworkStats{
			Network: ep.Network, Interface: ep.Interface,
			RxBytes: c.TxBytes, TxBytes: c.RxBytes,
			RxPackets: c.TxPackets, TxPackets: c.RxPackets,
		})
	}
	return out
}

// Stats returns the latest sample of a running container, taking one
// now if the sampler has not reached it yet (its CPUPercent is then 0).
func (d *Daemon) Stats(ctx context.Context, idOrName string) (*api.Stats, error) {
	rec, err := d.db.get(idOrName)
	if err != nil {
		return nil, err
	}
	if st, ok := d.samples.get(rec.ID); ok {
		return &st, nil
	}
	st, err := d.sample(rec, api.Stats{})
	if err != nil {
		return nil, conflict(fmt.Errorf("stats %s: the container is not running", rec.Name))
	}
	return &st, nil
}

// StatsStream sends a container's sample each time the sampler takes a
// new one, until ctx ends, the daemon closes or the container stops.
func (d *Daemon) StatsStream(ctx context.Context, idOrName string,
	send func(api.Stats) error) error {
	first, err := d.Stats(ctx, idOrName)
	if err != nil {
		return err
	}
	id, last := first.ID, first.Read
	if err := send(*first); err != nil {
		return err
	}
	// Polling at a fraction of the interval sees each new sample soon
	// after it is taken, without a subscription mechanism.
	t := time.NewTicker(d.cfg.StatsInterval / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-d.closing:
			return nil
		case <-t.C:
		}
		st, ok := d.samples.get(id)
		if !ok && !d.running(id) {
			return nil
		}
		if !ok || !st.Read.After(last) {
			continue
		}
		last = st.Read
		if err := send(st); err != nil {
			return err
		}
	}
}

// running reports whether container id runs now.
func (d *Daemon) running(id string) bool {
	st, err := d.containers.State(id)
	return err == nil && st.Status == container.Running
}

// Samples returns the latest sample of every running container, by
// name: what GET /metrics reports.
func (d *Daemon) Samples() []api.Stats {
	d.samples.mu.Lock()
	out := make([]api.Stats, 0, len(d.samples.latest))
	for _, s := range d.samples.latest {
		out = append(out, s)
	}
	d.samples.mu.Unlock()
	slices.SortFunc(out, func(a, b api.Stats) int { return strings.Compare(a.Name, b.Name) })
	return out
}
