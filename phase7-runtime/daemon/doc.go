// Package daemon is the engine of shibafud: it joins the earlier phases
// into one container runtime and keeps the runtime's own state.
//
// Running a container walks through every phase in turn (run.go):
//
//	phase 3  image.Store, snapshot.Store   the image, an overlay rootfs
//	phase 2  network.Manager               a pinned netns, a veth per network
//	phase 6  dns.Zone, dns.ResolvConf      its name, /etc/resolv.conf, /etc/hosts
//	phase 4  portmap.Manager               its -p ports, as iptables DNAT rules
//	phase 1  container.Manager             the container itself, detached
//
// and a failure at any step undoes the steps before it. Each phase keeps
// its own records under the state root, as it did on its own; this
// package adds one more, a bbolt database (state.db) holding what only
// the runtime knows: each container's name, the request it was run
// from, and what was set up for it.
//
// Nothing lives only in memory. A container runs under a shim (phase 1)
// that survives the daemon, so a daemon killed and started again reads
// its records back, finds the containers still running, and watches them
// again (recover.go). When a container exits, the daemon gives back its
// ports, names and addresses (release.go), unless its restart policy
// starts it again in place (restart.go).
//
// Beside the watchers, the daemon runs the work of a container's life:
// a sampler of every running container's cgroups and veths (stats.go),
// health checks through exec (health.go), and a fan-out of lifecycle
// events to the clients that follow them (events.go). Images come and
// go through a registry with the phase 5 client (registry.go).
//
// Every error the Daemon returns belongs to one of the categories of
// package api (errors.go), which the server maps to HTTP statuses.
package daemon
