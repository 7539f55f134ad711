package api

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// The sources of an app's log lines.
const (
	// SourceApp is what a replica printed on its stdout or stderr.
	SourceApp = "app"
	// SourceBuild is the log of a build and its rollout.
	SourceBuild = "build"
	// SourceRouter is a line of the router's access log.
	SourceRouter = "router"
	// SourcePaaS is the PaaS's own word on a change: a scale, a restart.
	SourcePaaS = "paas"
)

// LogLine is one line of an app's log, as GET /v1/apps/{app}/logs
// streams them, one JSON object a line.
type LogLine struct {
	Time time.Time `json:"time"`
	App  string    `json:"app"`
	// Source is one of the Source constants.
	Source string `json:"source"`
	// Process and Replica name the replica that printed it (for the
	// router, the one that answered), when there is one.
	Process string `json:"process,omitempty"`
	Replica string `json:"replica,omitempty"`
	// Stream is "stdout" or "stderr" for a replica's output.
	Stream string `json:"stream,omitempty"`
	Line   string `json:"line"`
}

// Metrics is the body of GET /v1/apps/{app}/metrics: the app's recent
// history, oldest point first, and where each replica stands now.
type Metrics struct {
	App string `json:"app"`
	// Interval is the time between two points.
	Interval Duration         `json:"interval"`
	Points   []MetricPoint    `json:"points"`
	Replicas []ReplicaMetrics `json:"replicas"`
}

// MetricPoint is one sample of an app: its replicas' resource use, from
// their cgroups through the runtime, and the traffic the router saw
// since the point before.
type MetricPoint struct {
	Time time.Time `json:"time"`
	// Replicas counts the running replicas.
	Replicas int `json:"replicas"`
	// CPUPercent is the mean CPU use of the replicas, in percent of each
	// one's CPU limit (of one CPU when they have none).
	CPUPercent float64 `json:"cpuPercent"`
	// MemoryBytes is the memory of all the replicas together.
	MemoryBytes uint64 `json:"memoryBytes"`
	// Requests and Errors (answers 5xx) are per second, through the
	// router.
	Requests float64 `json:"requestsPerSec"`
	Errors   float64 `json:"errorsPerSec"`
	// P50, P95 and P99 are percentiles of the requests' latency, in
	// milliseconds; 0 when there were none.
	P50 float64 `json:"p50Ms"`
	P95 float64 `json:"p95Ms"`
	P99 float64 `json:"p99Ms"`
	// Processes breaks Replicas and CPUPercent down by process type.
	Processes map[string]ProcessPoint `json:"processes,omitempty"`
}

// ProcessPoint is a MetricPoint's share of one process type.
type ProcessPoint struct {
	Replicas   int     `json:"replicas"`
	CPUPercent float64 `json:"cpuPercent"`
}

// ReplicaMetrics is where one running replica stands at the last point.
type ReplicaMetrics struct {
	Name        string  `json:"name"`
	Process     string  `json:"process"`
	CPUPercent  float64 `json:"cpuPercent"`
	MemoryBytes uint64  `json:"memoryBytes"`
	// Restarts counts the times its restart policy started it again.
	Restarts int `json:"restarts"`
}

// The kinds of app events.
const (
	EventRelease   = "release"
	EventScale     = "scale"
	EventAutoscale = "autoscale"
	EventHealth    = "health"
	EventCrash     = "crash"
)

// AppEvent is one entry of an app's feed of events, as GET
// /v1/apps/{app}/events streams them.
type AppEvent struct {
	Time time.Time `json:"time"`
	App  string    `json:"app"`
	// Kind is one of the Event constants.
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Release is the release it is about, if any.
	Release int `json:"release,omitempty"`
}

// The metrics an autoscaler can track.
const (
	// MetricCPU is the mean CPU use of the replicas, in percent of
	// their limit.
	MetricCPU = "cpu"
	// MetricRPS is requests per second per replica.
	MetricRPS = "rps"
	// MetricP95 is the 95th percentile of the latency, in milliseconds.
	MetricP95 = "p95"
)

// Autoscale is the body of PUT /v1/apps/{app}/autoscale: the autoscaler
// of one process type. It keeps the type's replicas between Min and Max,
// adding one when Metric stays above Target over Window, and taking one
// away when it stays below half of Target. A Max of 0 turns it off.
type Autoscale struct {
	Process string  `json:"process"`
	Min     int     `json:"min"`
	Max     int     `json:"max"`
	Metric  string  `json:"metric"`
	Target  float64 `json:"target"`
	// Window is how long the metric must stay beyond a threshold.
	Window Duration `json:"window"`
	// UpCooldown and DownCooldown are how long after a change of the
	// replicas the next step up, or down, may come.
	UpCooldown   Duration `json:"upCooldown"`
	DownCooldown Duration `json:"downCooldown"`
}

// The defaults of an Autoscale's zero fields.
const (
	DefaultAutoscaleWindow       = time.Minute
	DefaultAutoscaleUpCooldown   = time.Minute
	DefaultAutoscaleDownCooldown = 5 * time.Minute
)

// ValidateAutoscale checks an autoscaler and fills in its defaults: the
// web process, a min of 1, and the default window and cooldowns.
func ValidateAutoscale(a *Autoscale) error {
	if a.Process == "" {
		a.Process = "web"
	}
	if err := ValidateProcessName(a.Process); err != nil {
		return err
	}
	if a.Max == 0 {
		return nil // off
	}
	if a.Min == 0 {
		a.Min = 1
	}
	if a.Min < 1 || a.Max < a.Min || a.Max > MaxReplicas {
		return WithCategory(ErrInvalid, fmt.Errorf(
			"autoscale %s: want 1 <= min <= max <= %d, not min %d max %d",
			a.Process, MaxReplicas, a.Min, a.Max))
	}
	if !slices.Contains([]string{MetricCPU, MetricRPS, MetricP95}, a.Metric) {
		return WithCategory(ErrInvalid, fmt.Errorf(
			"autoscale metric %q: want cpu, rps or p95", a.Metric))
	}
	if a.Metric != MetricCPU && a.Process != "web" {
		return WithCategory(ErrInvalid, fmt.Errorf(
			"autoscale %s on %s: only web replicas get requests", a.Process, a.Metric))
	}
	if a.Target <= 0 {
		return WithCategory(ErrInvalid, errors.New("autoscale: want a target above 0"))
	}
	if a.Window < 0 || a.UpCooldown < 0 || a.DownCooldown < 0 {
		return WithCategory(ErrInvalid,
			errors.New("autoscale: want a window and cooldowns of 0 or more"))
	}
	fill(&a.Window, DefaultAutoscaleWindow)
	fill(&a.UpCooldown, DefaultAutoscaleUpCooldown)
	fill(&a.DownCooldown, DefaultAutoscaleDownCooldown)
	return nil
}

func fill(d *Duration, def time.Duration) {
	if *d == 0 {
		*d = Duration(def)
	}
}
