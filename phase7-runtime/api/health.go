package api

import "time"

// HealthConfig is a container's health check, as `docker run
// --health-cmd` and friends give it: the daemon runs Cmd inside the
// container every Interval, and a run that exits 0 within Timeout
// passes.
type HealthConfig struct {
	// Cmd is run with `sh -c` inside the container.
	Cmd string `json:"cmd"`
	// Interval is the time between two checks; 0 means 30s.
	Interval time.Duration `json:"interval,omitempty"`
	// Timeout bounds one check; 0 means 30s.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Retries is how many checks in a row must fail to make the
	// container unhealthy; 0 means 3.
	Retries int `json:"retries,omitempty"`
	// StartPeriod is a grace time after the start during which failed
	// checks do not count.
	StartPeriod time.Duration `json:"startPeriod,omitempty"`
}

// The values of Health.Status.
const (
	HealthStarting  = "starting"
	HealthHealthy   = "healthy"
	HealthUnhealthy = "unhealthy"
)

// Health is the state of a container's health check, in State.Health.
type Health struct {
	// Status is starting until a check passes, healthy after a check
	// passes, and unhealthy after Retries checks in a row failed.
	Status string `json:"status"`
	// FailingStreak counts the checks that failed in a row.
	FailingStreak int `json:"failingStreak"`
	// Log holds the latest checks, oldest first.
	Log []HealthResult `json:"log,omitempty"`
}

// HealthResult is one run of a health check.
type HealthResult struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	ExitCode int       `json:"exitCode"`
	// Output is the start of what the check printed.
	Output string `json:"output"`
}
