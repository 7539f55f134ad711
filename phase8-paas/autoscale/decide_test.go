package autoscale

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"shibafu.dev/phase8-paas/api"
)

var now = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// points makes one point a second, the last at now, of web's CPU.
func points(cpu ...float64) []api.MetricPoint {
	var ps []api.MetricPoint
	for i, v := range cpu {
		at := now.Add(time.Duration(i-len(cpu)+1) * time.Second)
		ps = append(ps, api.MetricPoint{Time: at, Requests: v * 2, P95: v,
			Processes: map[string]api.ProcessPoint{"web": {Replicas: 2, CPUPercent: v}}})
	}
	return ps
}

func TestDecide(t *testing.T) {
	rule := api.Autoscale{Process: "web", Min: 1, Max: 4, Metric: api.MetricCPU,
		Target: 50, Window: api.Duration(5 * time.Second),
		UpCooldown: api.Duration(10 * time.Second), DownCooldown: api.Duration(30 * time.Second)}
	long := now.Add(-time.Hour)
	for _, tc := range []struct {
		name    string
		rule    func(*api.Autoscale)
		current int
		points  []api.MetricPoint
		last    time.Time
		want    int
	}{
		{"below min", nil, 0, nil, now, 1},
		{"above max", nil, 6, nil, now, 4},
		{"no points yet", nil, 2, nil, long, 2},
		{"too few points for the window", nil, 2, points(90, 90), long, 2},
		{"sustained load", nil, 2, points(80, 90, 85, 95, 99, 90), long, 3},
		{"one dip holds", nil, 2, points(80, 90, 40, 95, 99, 90), long, 2},
		{"a spike is not a load", nil, 2, points(5, 5, 5, 5, 5, 100), long, 2},
		{"at max", nil, 4, points(90, 90, 90, 90, 90, 90), long, 4},
		{"up cooldown", nil, 2, points(90, 90, 90, 90, 90, 90), now.Add(-8 * time.Second), 2},
		{"points before the change do not count", nil, 2,
			points(90, 90, 90, 90, 90, 90), now.Add(-3 * time.Second), 2},
		{"quiet", nil, 3, points(10, 5, 20, 3, 0, 1), long, 2},
		{"in the band", nil, 3, points(30, 30, 30, 30, 30, 30), long, 3},
		{"quiet at min", nil, 1, points(0, 0, 0, 0, 0, 0), long, 1},
		{"down cooldown", nil, 3, points(0, 0, 0, 0, 0, 0), now.Add(-20 * time.Second), 3},
		{"rps per replica", func(r *api.Autoscale) { r.Metric, r.Target = api.MetricRPS, 50 },
			2, points(60, 60, 60, 60, 60, 60), long, 3},
		{"p95", func(r *api.Autoscale) { r.Metric, r.Target = api.MetricP95, 200 },
			2, points(60, 60, 60, 60, 60, 60), long, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rule
			if tc.rule != nil {
				tc.rule(&r)
			}
			d := Decide(Input{Rule: r, Current: tc.current, Points: tc.points,
				Interval: time.Second, LastChange: tc.last, Now: now})
			assert.Equal(t, tc.want, d.Want, d.Reason)
			assert.NotEmpty(t, d.Reason)
		})
	}
}

// TestFlappingLoadDoesNotThrash runs the rule over a load that is on
// for 3 s and off for 3 s, for ten minutes: it never holds for a whole
// window, so the replicas stay put.
func TestFlappingLoadDoesNotThrash(t *testing.T) {
	rule := api.Autoscale{Process: "web", Min: 1, Max: 4, Metric: api.MetricCPU,
		Target: 50, Window: api.Duration(5 * time.Second),
		UpCooldown: api.Duration(5 * time.Second), DownCooldown: api.Duration(10 * time.Second)}
	start := now
	var ps []api.MetricPoint
	n, decisions, last := 2, 0, start.Add(-time.Hour)
	for s := range 600 {
		at := start.Add(time.Duration(s) * time.Second)
		cpu := 0.0
		if s/3%2 == 0 {
			cpu = 95
		}
		ps = append(ps, api.MetricPoint{Time: at,
			Processes: map[string]api.ProcessPoint{"web": {Replicas: n, CPUPercent: cpu}}})
		d := Decide(Input{Rule: rule, Current: n, Points: ps, Interval: time.Second,
			LastChange: last, Now: at})
		if d.Want != n {
			n, last = d.Want, at
			decisions++
		}
	}
	assert.Zero(t, decisions)
}
