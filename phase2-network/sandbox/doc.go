// Package sandbox starts phase 1 containers on phase 2 networks.
//
// A container's network stack is a network namespace. Instead of letting
// libcontainer create an empty one, a sandbox Manager creates it first,
// pinned as a file at ROOT/netns/ID, attaches it to the networks asked
// for (veth pairs, addresses, routes), and only then starts the
// container with linux.namespaces[type=network].path pointing at that
// file, so the process finds eth0 configured when it starts. When the
// container is removed, the Manager detaches it and deletes the
// namespace. Docker (libnetwork's "sandbox") and Kubernetes (the pod
// sandbox that CNI plugins configure) prepare a namespace the same way.
package sandbox
