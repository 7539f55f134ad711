package api

import "time"

// RunRequest asks the daemon to create and start a container, the body
// of POST /v1/containers. It carries what `shibafu run` was given.
type RunRequest struct {
	// Image names the image in the daemon's store.
	Image string `json:"image"`
	// Cmd replaces the image's Cmd when not empty.
	Cmd []string `json:"cmd,omitempty"`
	// Name names the container; it must be a DNS label, since the
	// container answers to it on its networks. Empty means the ID.
	Name string `json:"name,omitempty"`
	// Env is added over the image's environment, as NAME=value.
	Env []string `json:"env,omitempty"`
	// Ports are `-p` specs: [HOSTIP:][HOSTPORT:]PORT[/PROTO].
	Ports []string `json:"ports,omitempty"`
	// Networks are joined in order; empty means the daemon's default.
	Networks []string `json:"networks,omitempty"`
	// Memory is a size such as "64m"; empty means no limit.
	Memory string `json:"memory,omitempty"`
	// PidsLimit caps the number of processes; 0 means no limit.
	PidsLimit int64 `json:"pidsLimit,omitempty"`
	// AutoRemove removes the container when it exits, like --rm.
	AutoRemove bool `json:"autoRemove,omitempty"`
	// Hostname is the container's host name; empty means its name.
	Hostname string `json:"hostname,omitempty"`
	// WorkingDir replaces the image's working directory.
	WorkingDir string `json:"workingDir,omitempty"`
	// User is "UID" or "UID:GID" and replaces the image's user.
	User string `json:"user,omitempty"`
}

// Container is everything the daemon knows about one container, the
// body of `inspect`.
type Container struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Image   string     `json:"image"`
	Created time.Time  `json:"created"`
	Config  RunRequest `json:"config"`
	State   State      `json:"state"`
	// Networks are the container's attachments, eth0 first.
	Networks []Endpoint `json:"networks"`
	// Ports are the published ports.
	Ports []Port `json:"ports,omitempty"`
	// Rootfs is where its overlay snapshot is mounted on the host.
	Rootfs string `json:"rootfs"`
	// LogPath is the file its standard output goes to.
	LogPath string `json:"logPath"`
}

// The values of State.Status.
const (
	StatusCreated = "created"
	StatusRunning = "running"
	StatusPaused  = "paused"
	StatusExited  = "exited"
)

// State is where a container is in its life.
type State struct {
	// Status is one of the Status constants.
	Status string `json:"status"`
	// Pid is the host PID of its init while it runs.
	Pid int `json:"pid,omitempty"`
	// ExitCode is its exit code once exited (128+N for signal N).
	ExitCode int `json:"exitCode"`
	// OOMKilled tells that the kernel killed it for using more memory
	// than its limit.
	OOMKilled bool `json:"oomKilled"`
	// StartedAt and FinishedAt bound its run.
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
}

// Endpoint is a container's attachment to one network.
type Endpoint struct {
	Network string `json:"network"`
	// Interface is the container's end of its veth pair, HostVeth the
	// host's end, plugged into the network's bridge.
	Interface string `json:"interface"`
	HostVeth  string `json:"hostVeth"`
	IP        string `json:"ip"`
	Gateway   string `json:"gateway"`
	MAC       string `json:"mac"`
}

// Port is one published port.
type Port struct {
	Proto         string `json:"proto"`
	HostIP        string `json:"hostIP,omitempty"`
	HostPort      uint16 `json:"hostPort"`
	ContainerPort uint16 `json:"containerPort"`
}

// StopRequest is the body of POST /v1/containers/{id}/stop.
type StopRequest struct {
	// Timeout is how long to wait after SIGTERM before SIGKILL, in
	// seconds; nil means the daemon's default of 10.
	Timeout *int `json:"timeout,omitempty"`
}

// KillRequest is the body of POST /v1/containers/{id}/kill.
type KillRequest struct {
	// Signal is a name such as "KILL" or "SIGTERM", or a number; empty
	// means SIGKILL.
	Signal string `json:"signal,omitempty"`
}

// ExecRequest is the body of POST /v1/containers/{id}/exec. The
// response is a stream of Frames ending with one that has Exit set.
type ExecRequest struct {
	Cmd        []string `json:"cmd"`
	Env        []string `json:"env,omitempty"`
	WorkingDir string   `json:"workingDir,omitempty"`
	User       string   `json:"user,omitempty"`
}

// Image is one image of the daemon's store.
type Image struct {
	Ref     string    `json:"ref"`
	Digest  string    `json:"digest"`
	Size    int64     `json:"size"`
	Created time.Time `json:"created,omitzero"`
}

// BuildBaseRequest asks for a busybox base image named Ref.
type BuildBaseRequest struct {
	Ref string `json:"ref"`
}

// Network is one network.
type Network struct {
	Name    string    `json:"name"`
	Bridge  string    `json:"bridge"`
	Subnet  string    `json:"subnet"`
	Gateway string    `json:"gateway"`
	Created time.Time `json:"created"`
}

// NetworkCreateRequest is the body of POST /v1/networks.
type NetworkCreateRequest struct {
	Name   string `json:"name"`
	Subnet string `json:"subnet"`
}

// Info describes the daemon, the body of GET /v1/info.
type Info struct {
	Version           string `json:"version"`
	Root              string `json:"root"`
	DefaultNetwork    string `json:"defaultNetwork"`
	ChainPrefix       string `json:"chainPrefix"`
	Containers        int    `json:"containers"`
	ContainersRunning int    `json:"containersRunning"`
	Images            int    `json:"images"`
	Networks          int    `json:"networks"`
	Pid               int    `json:"pid"`
}
