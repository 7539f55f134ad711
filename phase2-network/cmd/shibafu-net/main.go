// Command shibafu-net gives containers networks: Linux bridges, veth
// pairs, addresses from a persistent pool, masquerade and isolation
// rules. It is phase 2 of Shibafu, a small CLI over packages network and
// sandbox; like the phase 1 CLI it also serves as each container's init
// and shim, so main calls container.Reexec first.
package main

import (
	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
)

func main() {
	container.Reexec()
	cli.Main(newRootCmd())
}
