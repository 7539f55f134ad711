// Command shibafu is Shibafu's docker-like command line. Every command
// is a call to the shibafud daemon over its unix socket (package
// client); this binary runs no container itself.
package main

import (
	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
)

func main() {
	// The CLI never starts a container, but a binary that links package
	// container must let it take over when re-executed.
	container.Reexec()
	cli.Main(newRootCmd())
}
