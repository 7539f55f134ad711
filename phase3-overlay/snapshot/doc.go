// Package snapshot prepares container root filesystems from images with
// overlayfs, the copy-on-write file system the Linux kernel provides
// (Documentation/filesystems/overlayfs.rst).
//
// Each layer of an image is unpacked once, into a directory of its own
// keyed by its diff ID, and is never written again: every image and
// container that uses the layer shares it. A snapshot is a container's
// view of an image, one overlay mount:
//
//	mount -t overlay overlay \
//	    -o lowerdir=TOP:...:BOTTOM,upperdir=UPPER,workdir=WORK MERGED
//
// The lower directories are the image's layers, topmost first; UPPER is
// the container's own, empty at first, and receives every change (a file
// written is first copied up from below; a file deleted leaves a
// whiteout). Preparing a snapshot costs a mkdir and a mount(2), whatever
// the image's size, once its layers are unpacked.
//
// On disk, under the store's root:
//
//	layers/sha256/HEX/         an unpacked layer (overlay whiteouts kept)
//	mounts/NAME/snapshot.json  which image the snapshot was made from
//	mounts/NAME/upper/         the snapshot's changes
//	mounts/NAME/work/          overlayfs's scratch directory
//	mounts/NAME/merged/        the mount point: the container's root
//
// Commit turns a snapshot's upper directory into a new layer and a new
// image, as `docker commit` does.
package snapshot
