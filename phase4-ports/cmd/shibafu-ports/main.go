// Command shibafu-ports publishes container ports on the host with
// iptables DNAT rules (publish, unpublish, ls, restore) and runs
// Shibafu's load-balancing proxy (proxy). It is phase 4 of Shibafu: a
// small CLI over packages portmap and proxy.
package main

import "shibafu.dev/phase0-runc/cli"

func main() {
	cli.Main(newRootCmd())
}
