package api

// Version prefixes every route. A breaking change of the API gets a new
// prefix, so that old clients keep working against a new daemon.
const Version = "/v1"

// The routes of the API, in the pattern syntax of net/http.ServeMux.
// {id} is a container's ID or name, {name} a network's name.
const (
	RouteInfo = "GET " + Version + "/info"

	RouteContainerRun     = "POST " + Version + "/containers"
	RouteContainerList    = "GET " + Version + "/containers"
	RouteContainerInspect = "GET " + Version + "/containers/{id}"
	RouteContainerStop    = "POST " + Version + "/containers/{id}/stop"
	RouteContainerKill    = "POST " + Version + "/containers/{id}/kill"
	RouteContainerRemove  = "DELETE " + Version + "/containers/{id}"
	RouteContainerLogs    = "GET " + Version + "/containers/{id}/logs"
	RouteContainerExec    = "POST " + Version + "/containers/{id}/exec"

	RouteImageList      = "GET " + Version + "/images"
	RouteImageBuildBase = "POST " + Version + "/images/build-base"

	RouteNetworkCreate = "POST " + Version + "/networks"
	RouteNetworkList   = "GET " + Version + "/networks"
	RouteNetworkRemove = "DELETE " + Version + "/networks/{name}"
)
