package api

// ImageConfig is what an image sets for the containers made from it:
// the "config" object of the OCI image config (image-spec
// "config.md"), in the API's own spelling.
type ImageConfig struct {
	// Env is the environment, as NAME=value.
	Env []string `json:"env,omitempty"`
	// Entrypoint and Cmd make the process's arguments: Entrypoint
	// first, then Cmd (which `run` may replace).
	Entrypoint []string `json:"entrypoint,omitempty"`
	Cmd        []string `json:"cmd,omitempty"`
	// WorkingDir is the process's current directory; empty means /.
	WorkingDir string `json:"workingDir,omitempty"`
	// User is "UID" or "UID:GID"; empty means root.
	User string `json:"user,omitempty"`
	// ExposedPorts are the ports the image says it serves, as
	// PORT/PROTO ("8080/tcp"), sorted.
	ExposedPorts []string `json:"exposedPorts,omitempty"`
	// Labels are the image's key=value notes.
	Labels map[string]string `json:"labels,omitempty"`
}

// ImageDetail is everything the daemon knows about one image, the body
// of GET /v1/images/{ref}/json (`shibafu image inspect`).
type ImageDetail struct {
	Image
	// Config is the image's settings.
	Config ImageConfig `json:"config"`
	// Layers are the diff IDs of its layers (the digests of their
	// uncompressed tars), bottom first.
	Layers []string `json:"layers"`
	// History tells how each layer, and each step that changed only
	// the settings, came about, oldest first.
	History []ImageHistory `json:"history,omitempty"`
}

// ImageHistory is one entry of an image's history.
type ImageHistory struct {
	Created   string `json:"created,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
	Comment   string `json:"comment,omitempty"`
	// EmptyLayer marks a step that changed only the settings.
	EmptyLayer bool `json:"emptyLayer,omitempty"`
}
