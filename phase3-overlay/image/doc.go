// Package image is an image store in the OCI image layout (image-spec
// "image-layout.md"): a directory holding an oci-layout marker, an
// index.json that names the images, and their blobs in a content store.
//
//	DIR/oci-layout          {"imageLayoutVersion": "1.0.0"}
//	DIR/index.json          the images: manifest descriptors, each named
//	                        by its org.opencontainers.image.ref.name
//	DIR/blobs/sha256/HEX    manifests, configs and layers, by digest
//
// Because it is the standard layout, other tools read and write the store
// directly: `umoci unpack --image DIR:NAME` and `skopeo copy oci:DIR:NAME`
// work on it. An image is a manifest (image-spec "manifest.md") naming a
// config (the image's settings and the diff IDs of its layers, "config.md")
// and its layers, bottom first.
//
// The store imports and exports images as OCI layout tar archives, makes
// base images from a directory, a rootfs tarball or busybox, and removes
// unused blobs by mark and sweep (GC).
package image
