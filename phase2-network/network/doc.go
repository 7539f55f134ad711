// Package network gives containers their networking the way Docker's
// bridge driver does, built from the kernel's own parts:
//
//   - a network is a Linux bridge (a virtual switch) holding the
//     subnet's gateway address, so the host routes the subnet to it;
//   - attaching a container creates a veth pair (a virtual cable), puts
//     one end in the container's network namespace as eth0 (eth1, ... for
//     further networks) with an address from the network's IPAM pool, and
//     plugs the other end into the bridge;
//   - iptables rules in Shibafu's own chains masquerade traffic that
//     leaves the subnet and keep different networks from reaching each
//     other.
//
// The kernel is driven through netlink (github.com/vishvananda/netlink)
// and iptables through github.com/coreos/go-iptables; every exported
// function names the `ip` or `iptables` command that does the same by
// hand.
//
// A Manager keeps its records under a state root:
//
//	ROOT/networks/lock                 flock(2) held by every change
//	ROOT/networks/NAME/network.json    the network: bridge, subnet, gateway
//	ROOT/networks/NAME/ipam.json       its address pool (package ipam)
//	ROOT/networks/NAME/endpoints/ID.json  one per attached container
//
// Like the phase 1 container.Manager it holds nothing in memory, so any
// number of processes can use one root at once.
//
// Phase 2 of Shibafu: package sandbox joins these networks to the phase 1
// containers, and the shibafu-net command drives both.
package network
