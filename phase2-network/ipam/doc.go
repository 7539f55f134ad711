// Package ipam hands out IPv4 addresses from a subnet: IP address
// management, the job Docker's IPAM driver and the CNI host-local plugin
// do for their bridges.
//
// A Pool is one subnet and a JSON file that records which address belongs
// to whom. Every change takes an exclusive flock(2) on a lock file beside
// it, reads the record, changes it and writes it back atomically, so any
// number of processes can allocate from the same pool at once and never
// get the same address. The network address, the broadcast address and
// the gateway are never handed out; freed addresses are handed out again,
// lowest first.
//
// In phase 2 each network owns one pool under the state root; Attach takes
// an address from it and Detach gives it back.
package ipam
