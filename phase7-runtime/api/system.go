package api

// The routes of disk usage, pruning, and image archives. They live here
// rather than in routes.go, with the types they carry.
const (
	// RouteSystemDF answers a DiskUsage.
	RouteSystemDF = "GET " + Version + "/system/df"
	// RouteSystemPrune removes what nothing uses and answers a
	// PruneReport.
	RouteSystemPrune = "POST " + Version + "/system/prune"

	// RouteImageSave answers a tar archive of an OCI image layout (an
	// OCI archive, as `skopeo copy oci-archive:` reads) holding the
	// images named by the repeated ?ref= parameter.
	RouteImageSave = "GET " + Version + "/images/save"
	// RouteImageLoad takes such an archive as its body and answers the
	// images it held, as a list of Image.
	RouteImageLoad = "POST " + Version + "/images/load"
	// RouteImageImport takes a root filesystem tarball (plain or gzip)
	// as its body and answers the one-layer Image named ?ref= made of
	// it, like `docker import`.
	RouteImageImport = "POST " + Version + "/images/import"
)

// DiskUsage is what the daemon's images, containers and volumes take on
// disk, the body of RouteSystemDF.
type DiskUsage struct {
	Images     Usage `json:"images"`
	Containers Usage `json:"containers"`
	Volumes    Usage `json:"volumes"`
}

// Usage sums up one kind of thing on disk.
type Usage struct {
	// Total counts them; Active counts those in use: images a container
	// was made from, running containers, volumes a container mounts.
	Total  int `json:"total"`
	Active int `json:"active"`
	// Size is their size in bytes: for images the blobs they use, each
	// counted once; for containers their writable layers; for volumes
	// their contents.
	Size int64 `json:"size"`
	// Reclaimable is the part of Size that only unused ones take.
	Reclaimable int64 `json:"reclaimable"`
}

// PruneReport says what RouteSystemPrune removed.
type PruneReport struct {
	// Containers are the IDs of the stopped containers removed.
	Containers []string `json:"containers"`
	// Networks are the networks removed: those no container was on,
	// except the default one.
	Networks []string `json:"networks"`
	// Blobs counts the image blobs that no image nor container used.
	Blobs int `json:"blobs"`
	// Layers counts the unpacked layers that no image nor container
	// used.
	Layers int `json:"layers"`
	// SpaceReclaimed is how much smaller the state root became, in
	// bytes.
	SpaceReclaimed int64 `json:"spaceReclaimed"`
}
