// Package container runs OCI containers from Go through libcontainer, the
// engine inside runc, instead of calling the runc binary as phase 0 did.
//
// A Manager keeps every container under one state root:
//
//	ROOT/containers/ID/   the container's bundle and record:
//	    config.json       the OCI runtime spec it was created from
//	    rootfs/           a busybox root filesystem, unless one was given
//	    stdout.log        output of a detached container
//	    stderr.log
//	    monitor.lock      held (flock) by the process that waits for it
//	    exit.json         how it ended: exit code, signal, OOM kill
//	ROOT/lc/ID/           libcontainer's own state (state.json, exec.fifo)
//
// A foreground container (Run) is the child of the calling process, which
// streams its stdio and collects its exit status. A detached container
// (Create, Start, RunDetached) is the child of a shim: a copy of the
// calling binary, started in its own session, that outlives the caller,
// waits for the container and writes exit.json. That is why any binary
// that uses this package must call Reexec first thing in main (and in
// TestMain): the same binary is re-executed as the shim and as
// libcontainer's "init", the process that becomes the container.
//
// Every method can be called from a fresh process: the state lives on
// disk, not in the Manager.
package container
