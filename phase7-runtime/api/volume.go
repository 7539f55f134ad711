package api

// Volume is a named volume: a directory under the daemon's state root
// (ROOT/volumes/NAME) that containers mount with `-v NAME:/path`. It
// outlives the containers that use it.
type Volume struct {
	Name string `json:"name"`
	// Path is the volume's directory on the host.
	Path string `json:"path"`
	// UsedBy names the containers, running or not, that mount it.
	UsedBy []string `json:"usedBy,omitempty"`
}

// VolumeCreateRequest is the body of RouteVolumeCreate.
type VolumeCreateRequest struct {
	Name string `json:"name"`
}
