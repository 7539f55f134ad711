// Package api holds the types of the PaaS's REST API, shared by the
// server, its Go client and the CLI. Every path starts with /v1; bodies
// are JSON. Calls that build or deploy answer with a stream of Events,
// one JSON object per line, so that the client shows progress as it
// happens.
package api

import "time"

// App is one application: a name, the processes it runs and the release
// they run.
type App struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	// URL is where the router serves its web process.
	URL string `json:"url"`
	// Release is the number of the release that serves; 0 before the
	// first deploy.
	Release int `json:"release"`
	// Formation is how many replicas each process type runs.
	Formation map[string]int `json:"formation"`
	// Health is how a new release's web replicas are checked before
	// they get traffic.
	Health HealthCheck `json:"health"`
	// Domains are further host names the router serves it at.
	Domains []string `json:"domains,omitempty"`
	// TLS are its HTTPS options.
	TLS TLSSettings `json:"tls"`
	// Replicas, in `apps info` only, are its running containers.
	Replicas []Replica `json:"replicas,omitempty"`
}

// HealthCheck is a release's health check: an HTTP GET of Path on each
// new web replica must answer 2xx or 3xx within Timeout, tried every
// Interval, before Retries run out.
type HealthCheck struct {
	Path     string   `json:"path"`
	Timeout  Duration `json:"timeout"`
	Interval Duration `json:"interval"`
	Retries  int      `json:"retries"`
}

// CreateAppRequest is the body of POST /v1/apps.
type CreateAppRequest struct {
	Name string `json:"name"`
	// Health overrides the default health check where it has fields set.
	Health *HealthCheck `json:"health,omitempty"`
}

// The kinds of release.
const (
	KindDeploy   = "deploy"
	KindConfig   = "config"
	KindSecrets  = "secrets"
	KindScale    = "scale"
	KindRollback = "rollback"
	KindRestart  = "restart"
)

// The states of a release.
const (
	StatusPending   = "pending"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// Release is one numbered step of an app's history: the image, config
// and formation it runs, and how it went.
type Release struct {
	App    string `json:"app"`
	Number int    `json:"number"`
	// Kind says what made it: one of the Kind constants.
	Kind string `json:"kind"`
	// Description says it in words, such as "Rollback to v3".
	Description string `json:"description"`
	// Image is the image by digest, REGISTRY/paas/APP@sha256:...
	Image  string `json:"image"`
	Digest string `json:"digest"`
	// Processes are the commands of the process types.
	Processes map[string][]string `json:"processes"`
	// Port is where the web process listens (its PORT).
	Port int `json:"port"`
	// ConfigVersion counts the app's config and secret changes; the
	// release runs that version of them.
	ConfigVersion int `json:"configVersion"`
	// Formation is how many replicas of each process type it runs.
	Formation map[string]int `json:"formation"`
	// Commit is the source's git commit, if it came from git.
	Commit string `json:"commit,omitempty"`
	// User names the token that made it.
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	// Status is one of the Status constants; Error says why it failed.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// Replica is one running container of an app.
type Replica struct {
	// Name is the container's name, APP-PROCESS-vRELEASE-N.
	Name    string    `json:"name"`
	Process string    `json:"process"`
	Release int       `json:"release"`
	State   string    `json:"state"`
	IP      string    `json:"ip,omitempty"`
	Started time.Time `json:"started,omitzero"`
}

// ConfigChange is the body of PATCH /v1/apps/{app}/config and
// .../secrets: names to set to a value, and names to unset (null).
type ConfigChange map[string]*string

// ScaleRequest is the body of POST /v1/apps/{app}/scale: the new number
// of replicas of each process type named.
type ScaleRequest map[string]int

// RollbackRequest is the body of POST /v1/apps/{app}/rollback. Release
// 0 means the one before the current release.
type RollbackRequest struct {
	Release int `json:"release"`
}

// BuildRequest is the body of POST /v1/apps/{app}/builds, which builds
// and deploys a commit of the app's git repository.
type BuildRequest struct {
	Commit string `json:"commit"`
}

// RunRequest is the body of POST /v1/apps/{app}/run: a one-off command
// in a container of the current release, with its config.
type RunRequest struct {
	Cmd []string `json:"cmd"`
}

// DomainRequest is the body of POST /v1/apps/{app}/domains.
type DomainRequest struct {
	Name string `json:"name"`
}

// Event is one line of a streamed answer: a line of log (possibly
// empty), or the last one, which has Done set and carries the Release
// made (none for a change recorded before the first deploy), the Exit
// code of a run, or an Error.
type Event struct {
	Log     string   `json:"log,omitempty"`
	Done    bool     `json:"done,omitempty"`
	Release *Release `json:"release,omitempty"`
	Exit    *int     `json:"exit,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// Token describes an API token; the token itself is shown only once,
// when it is made, and only its hash is kept.
type Token struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}
