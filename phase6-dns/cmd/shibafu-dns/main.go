// Command shibafu-dns is Shibafu's DNS server for service discovery,
// phase 6: serve answers containers' queries and forwards the rest to
// the host's resolvers; add, rm and ls change and show the records of a
// running server through its HTTP API. main only wires flags to package
// dns.
package main

import "shibafu.dev/phase0-runc/cli"

func main() {
	cli.Main(newRootCmd())
}
