package api

// Version prefixes every route. A breaking change of the API gets a new
// prefix, so that old clients keep working against a new daemon.
const Version = "/v1"

// The routes of the API, in the pattern syntax of net/http.ServeMux.
// {id} is a container's ID or name, {name} a network's or a volume's
// name.
const (
	RouteInfo = "GET " + Version + "/info"
	// RouteMetrics is outside the version prefix, where Prometheus
	// looks for it: the latest samples in its text format.
	RouteMetrics = "GET /metrics"

	RouteContainerRun     = "POST " + Version + "/containers"
	RouteContainerList    = "GET " + Version + "/containers"
	RouteContainerInspect = "GET " + Version + "/containers/{id}"
	RouteContainerStop    = "POST " + Version + "/containers/{id}/stop"
	RouteContainerKill    = "POST " + Version + "/containers/{id}/kill"
	RouteContainerRemove  = "DELETE " + Version + "/containers/{id}"
	RouteContainerLogs    = "GET " + Version + "/containers/{id}/logs"
	RouteContainerExec    = "POST " + Version + "/containers/{id}/exec"
	// RouteContainerStats answers the latest sample; ?stream=1 sends
	// one per sampling interval, as JSON Lines, until the client hangs
	// up or the container stops.
	RouteContainerStats = "GET " + Version + "/containers/{id}/stats"
	// RouteContainerCreate makes a container without starting it.
	RouteContainerCreate  = "POST " + Version + "/containers/create"
	RouteContainerStart   = "POST " + Version + "/containers/{id}/start"
	RouteContainerRestart = "POST " + Version + "/containers/{id}/restart"
	// RouteContainerWait answers once the container has exited.
	RouteContainerWait   = "POST " + Version + "/containers/{id}/wait"
	RouteContainerRename = "POST " + Version + "/containers/{id}/rename"
	RouteContainerTop    = "GET " + Version + "/containers/{id}/top"
	RouteContainerCommit = "POST " + Version + "/containers/{id}/commit"
	// The archive routes carry a tar stream of ?path= (GET: out of the
	// container, PUT: into it; with &mkdir=true, into that directory,
	// made first).
	RouteContainerArchiveGet = "GET " + Version + "/containers/{id}/archive"
	RouteContainerArchivePut = "PUT " + Version + "/containers/{id}/archive"

	// RouteEvents streams api.Event values as JSON Lines until the
	// client hangs up.
	RouteEvents = "GET " + Version + "/events"

	RouteImageList      = "GET " + Version + "/images"
	RouteImageBuildBase = "POST " + Version + "/images/build-base"
	// RouteImagePull and RouteImagePush answer with a stream of
	// api.Progress lines.
	RouteImagePull   = "POST " + Version + "/images/pull"
	RouteImagePush   = "POST " + Version + "/images/push"
	RouteImageTag    = "POST " + Version + "/images/tag"
	RouteImageRemove = "POST " + Version + "/images/remove"
	// RouteImageInspect answers an api.ImageDetail; {ref} is the
	// image's name, path-escaped, since names hold slashes.
	RouteImageInspect = "GET " + Version + "/images/{ref}/json"

	RouteNetworkCreate     = "POST " + Version + "/networks"
	RouteNetworkList       = "GET " + Version + "/networks"
	RouteNetworkRemove     = "DELETE " + Version + "/networks/{name}"
	RouteNetworkInspect    = "GET " + Version + "/networks/{name}"
	RouteNetworkConnect    = "POST " + Version + "/networks/{name}/connect"
	RouteNetworkDisconnect = "POST " + Version + "/networks/{name}/disconnect"

	// A volume is created on first use by `run -v NAME:/path`, or here.
	RouteVolumeCreate = "POST " + Version + "/volumes"
	RouteVolumeList   = "GET " + Version + "/volumes"
	RouteVolumeRemove = "DELETE " + Version + "/volumes/{name}"
)
