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
	// Restart is the restart policy: no (the default), on-failure[:N]
	// (restart after a non-zero exit, at most N times), always, or
	// unless-stopped. A container stopped by `stop` stays stopped.
	Restart string `json:"restart,omitempty"`
	// Aliases are further DNS names on the container's networks, each
	// shared with every container of the same alias: the name answers
	// with all their addresses, in turn (`--network-alias`, repeatable).
	Aliases []string `json:"aliases,omitempty"`
	// Alias is the one alias of older clients and records, read as if
	// it came first in Aliases.
	Alias string `json:"alias,omitempty"`
	// Entrypoint replaces the image's Entrypoint when not nil; an empty
	// one clears it. Like docker, it also drops the image's Cmd.
	Entrypoint []string `json:"entrypoint,omitempty"`
	// Labels are the user's own key=value notes on the container.
	Labels map[string]string `json:"labels,omitempty"`
	// ReadOnly mounts the root filesystem read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// CPUs caps the CPU time, in CPUs (1.5 means one and a half CPUs'
	// worth per period); 0 means no limit.
	CPUs float64 `json:"cpus,omitempty"`
	// Health is the container's health check; nil means none.
	Health *HealthConfig `json:"health,omitempty"`
	// Volumes are `-v` specs: /HOST/PATH:/CTR/PATH[:ro] bind-mounts a
	// host directory or file, NAME:/CTR/PATH[:ro] a named volume.
	Volumes []string `json:"volumes,omitempty"`
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
	// RestartCount counts the restarts done by its restart policy.
	RestartCount int `json:"restartCount"`
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
	// Health is the state of its health check, if it has one.
	Health *Health `json:"health,omitempty"`
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
	// Stdin attaches the caller's standard input (`exec -i`). The
	// request must then ask to upgrade the connection to ExecProtocol;
	// after the daemon's 101 answer, the client sends stdin Frames on
	// it while the daemon sends the output Frames (see Frame).
	Stdin bool `json:"stdin,omitempty"`
	// TTY runs the command on a new terminal in the container (`exec
	// -t`): its output, stderr too, comes as one stdout stream.
	TTY bool `json:"tty,omitempty"`
	// Width and Height are the terminal's size in characters; 0 leaves
	// the kernel's default.
	Width  uint16 `json:"width,omitempty"`
	Height uint16 `json:"height,omitempty"`
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
	// Containers, in `network inspect` only, are those on the network.
	Containers []NetworkContainer `json:"containers,omitempty"`
}

// NetworkContainer is a container's place on one network.
type NetworkContainer struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Interface string `json:"interface"`
	IP        string `json:"ip"`
	MAC       string `json:"mac"`
}

// ConnectRequest is the body of POST /v1/networks/{name}/connect and
// .../disconnect.
type ConnectRequest struct {
	Container string `json:"container"`
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

// WaitResponse is the answer of POST /v1/containers/{id}/wait, sent
// once the container has exited.
type WaitResponse struct {
	ExitCode  int  `json:"exitCode"`
	OOMKilled bool `json:"oomKilled"`
}

// RenameRequest is the body of POST /v1/containers/{id}/rename.
type RenameRequest struct {
	Name string `json:"name"`
}

// Top lists a container's processes, the body of GET
// /v1/containers/{id}/top: a table of Titles and one row per process.
type Top struct {
	Titles    []string   `json:"titles"`
	Processes [][]string `json:"processes"`
}

// ImageRequest names an image: the body of pull, push and rmi. For pull
// and push, Ref is a registry reference, HOST/NAME[:TAG].
type ImageRequest struct {
	Ref string `json:"ref"`
}

// TagRequest gives the image Source the further name Target. With
// Config set, Target is instead a new image of Source's layers with
// exactly these settings: a step that changes only the settings, such
// as a Dockerfile's ENV or CMD, adds no layer.
type TagRequest struct {
	Source string       `json:"source"`
	Target string       `json:"target"`
	Config *ImageConfig `json:"config,omitempty"`
}

// Progress is one line of the stream a pull or push answers with
// (JSON Lines): how far one blob has moved, then a last line with the
// Image or an Error.
type Progress struct {
	// Digest names the blob; Done of Total bytes have moved.
	Digest string `json:"digest,omitempty"`
	Done   int64  `json:"done,omitempty"`
	Total  int64  `json:"total,omitempty"`
	// Image, in the last line, is the image pulled or pushed.
	Image *Image `json:"image,omitempty"`
	// Error, in the last line, says why it failed.
	Error string `json:"error,omitempty"`
}

// CommitRequest is the body of POST /v1/containers/{id}/commit: the
// name of the new image, and a note for its history. Config, when set,
// is exactly the new image's settings; nil keeps those of the image the
// container was made from.
type CommitRequest struct {
	Ref     string       `json:"ref"`
	Message string       `json:"message,omitempty"`
	Config  *ImageConfig `json:"config,omitempty"`
}
