// Package rootfs makes the root filesystem of an OCI bundle: the tree a
// container sees as "/". It builds one from a statically linked busybox
// (one binary that is sh, ls, wget, httpd and some 270 other tools), or
// copies a directory, or unpacks a tarball, refusing archive entries that
// would write outside the target.
//
// Phase 3 replaces these copies with image layers on overlayfs; here the
// point is to see that a container's root is just a directory.
package rootfs
