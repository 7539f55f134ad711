// Package launch runs phase 1 containers on the snapshots of phase 3:
// it turns an image's config into an OCI runtime spec (image-spec
// "conversion.md"), prepares an overlay snapshot of the image, and hands
// its mount point to container.Manager as the container's root
// filesystem. This is what `docker run IMAGE` does underneath.
package launch
