// Package layer reads and writes image layers: tar archives of file
// system changes (image-spec "layer.md").
//
// Apply unpacks a layer (plain or gzip-compressed tar) into a directory.
// Deletions travel in a layer as whiteouts, empty files named .wh.NAME
// ("NAME is gone") and .wh..wh..opq ("everything below this directory
// in lower layers is gone"). Apply either carries them out on a flat
// tree, or, for a tree that will be one lower layer of an overlay mount,
// turns them into overlayfs's own markers: a 0/0 character device for a
// deleted entry and the trusted.overlay.opaque="y" extended attribute on
// an opaque directory (kernel "Documentation/filesystems/overlayfs.rst").
//
// Pack and Diff go the other way: Pack archives a whole directory (a base
// image's only layer); Diff archives an overlay upper directory, turning
// overlayfs markers back into OCI whiteouts, which is how a container's
// changes become a new layer.
//
// A layer is untrusted input. Every path is resolved through an os.Root,
// which refuses names and symbolic links that lead outside the target,
// and every entry is created with *at(2) system calls relative to a
// directory opened that way, so nothing is ever written outside it.
package layer
