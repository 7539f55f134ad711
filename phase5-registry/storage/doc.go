// Package storage keeps a registry's content on the file system: one
// content-addressable store of blobs shared by every repository, and per
// repository the links, tags and referrers that give it a view of them.
//
//	ROOT/blobs/<alg>/<hex>                  content, named by its digest
//	ROOT/uploads/<id>/{data,repo}           uploads in progress
//	ROOT/repositories/<name>/_blobs/<alg>/<hex>      blob linked in <name>
//	ROOT/repositories/<name>/_manifests/<alg>/<hex>  manifest (media type)
//	ROOT/repositories/<name>/_tags/<tag>             tag (a digest)
//	ROOT/repositories/<name>/_referrers/<alg>/<hex>/<alg>-<hex>
//	                                                 referrer descriptors
//	ROOT/tmp/                               files being written
//
// A blob is written to a temporary file, checked against its digest,
// and only then renamed into blobs/: rename(2) is atomic, so a reader
// (or a registry restarted after SIGKILL) sees a whole blob or none.
// Repository names are checked by package reference before they become
// paths, and a directory part beginning with "_" can never be a name.
//
// Blobs are shared: a layer pushed to two repositories is stored once,
// and "mounting" it into a third writes only a link. Deleting a blob from
// a repository removes the link; the content goes when garbage
// collection (GC) finds nothing that needs it.
package storage
