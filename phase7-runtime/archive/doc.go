// Package archive moves files in and out of a container's root
// filesystem as tar streams, for `shibafu cp`. Every file is reached
// through an os.Root, which opens paths with openat(2) one component at
// a time and refuses any step, ".." or symlink, that would lead outside
// the root: a container cannot trick the daemon into reading or writing
// a host file by swapping a directory for a symlink mid-copy.
//
// The CLI uses the same package on its side of the copy, with a root at
// the local destination.
package archive
