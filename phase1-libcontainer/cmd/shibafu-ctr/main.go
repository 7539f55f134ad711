// Command shibafu-ctr runs containers through libcontainer, the Go
// library inside runc: phase 1 of Shibafu. It is a small docker-like CLI
// over package container; the same binary also serves as each
// container's init and as the shim of detached containers.
package main

import (
	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
)

func main() {
	container.Reexec()
	cli.Main(newRootCmd())
}
