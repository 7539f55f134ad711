// Package runc runs OCI bundles with the real runc binary, the reference
// OCI runtime, as its command line does: run in the foreground, start in
// the background, list, state, kill and delete. Shibafu keeps runc's state
// under its own root so that it never touches other users' containers.
//
// runc's own errors are read from its JSON log (--log, --log-format json)
// rather than its stderr, which belongs to the container: that is how a
// caller tells "runc could not start the container" from "the container
// ran and exited 1".
package runc
