package autoscale

import (
	"fmt"
	"time"

	"shibafu.dev/phase8-paas/api"
)

// Input is what a decision is made from.
type Input struct {
	Rule api.Autoscale
	// Current is how many replicas of the process type run now.
	Current int
	// Points are the app's metric points, oldest first; only those
	// after LastChange count, as the ones before measured another
	// number of replicas.
	Points []api.MetricPoint
	// Interval is the time between two points.
	Interval time.Duration
	// LastChange is when the process type's replicas last changed.
	LastChange time.Time
	Now        time.Time
}

// Decision is the outcome of one look at the metrics: the number of
// replicas wanted, and why.
type Decision struct {
	Want   int
	Reason string
}

// Decide is the autoscaler's rule, a pure function of its input, with
// these steps:
//
//   - below Min or above Max, go straight to it;
//   - wait until the points since the last change cover the Window
//     (give or take one and a half Intervals);
//   - if every point of the window is above the target, add a replica;
//     if every one is below half the target, take one away; in
//     between, hold: this dead band, and asking the whole window
//     rather than its mean, keep a load that comes and goes from
//     flapping the replicas up and down;
//   - a step up waits for UpCooldown after the last change, a step down
//     for DownCooldown (longer, as removing capacity too early costs
//     more than keeping it a while).
func Decide(in Input) Decision {
	r, n := in.Rule, in.Current
	switch {
	case n < r.Min:
		return Decision{r.Min, fmt.Sprintf("%d replicas is below the minimum %d", n, r.Min)}
	case n > r.Max:
		return Decision{r.Max, fmt.Sprintf("%d replicas is above the maximum %d", n, r.Max)}
	}
	window := time.Duration(r.Window)
	from := in.Now.Add(-window)
	if in.LastChange.After(from) {
		from = in.LastChange
	}
	values := valuesSince(in.Points, r, from)
	if len(values) == 0 ||
		values[len(values)-1].at.Sub(values[0].at) < window-in.Interval*3/2 {
		return Decision{n, "waiting for a window of points"}
	}
	lo, hi, mean := spread(values)
	since := in.Now.Sub(in.LastChange)
	switch {
	case lo > r.Target && n < r.Max:
		if since < time.Duration(r.UpCooldown) {
			return Decision{n, "above the target, cooling down"}
		}
		return Decision{n + 1, fmt.Sprintf("%s stayed above the target %s for %s"+
			" (mean %s): %d -> %d", r.Metric, unit(r.Metric, r.Target), window,
			unit(r.Metric, mean), n, n+1)}
	case hi < r.Target/2 && n > r.Min:
		if since < time.Duration(r.DownCooldown) {
			return Decision{n, "below half the target, cooling down"}
		}
		return Decision{n - 1, fmt.Sprintf("%s stayed below half the target %s for %s"+
			" (mean %s): %d -> %d", r.Metric, unit(r.Metric, r.Target), window,
			unit(r.Metric, mean), n, n-1)}
	}
	return Decision{n, "within the band"}
}

// value is a metric's value at a point.
type value struct {
	at time.Time
	v  float64
}

// valuesSince returns the rule's metric at each point after t where
// the process type ran.
func valuesSince(points []api.MetricPoint, r api.Autoscale, t time.Time) []value {
	var vs []value
	for _, p := range points {
		pp, ok := p.Processes[r.Process]
		if !p.Time.After(t) || !ok || pp.Replicas == 0 {
			continue
		}
		v := value{at: p.Time}
		switch r.Metric {
		case api.MetricCPU:
			v.v = pp.CPUPercent
		case api.MetricRPS:
			v.v = p.Requests / float64(pp.Replicas)
		case api.MetricP95:
			v.v = p.P95
		}
		vs = append(vs, v)
	}
	return vs
}

// spread returns the lowest, highest and mean of values (not empty).
func spread(vs []value) (lo, hi, mean float64) {
	lo, hi = vs[0].v, vs[0].v
	for _, v := range vs {
		lo, hi = min(lo, v.v), max(hi, v.v)
		mean += v.v
	}
	return lo, hi, mean / float64(len(vs))
}

// unit writes a value of a metric with its unit.
func unit(metric string, v float64) string {
	switch metric {
	case api.MetricCPU:
		return fmt.Sprintf("%.1f%%", v)
	case api.MetricRPS:
		return fmt.Sprintf("%.1f req/s", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}
