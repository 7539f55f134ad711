// Package portmap publishes container ports on the host with iptables
// DNAT rules, the kernel path Docker takes for `docker run -p`.
//
// A Mapping says "packets for HOSTIP:HOSTPORT go to CONTAINERIP:PORT".
// The Manager turns each one into a handful of rules in chains of its
// own, named after a configurable prefix P:
//
//	nat PREROUTING      -m addrtype --dst-type LOCAL -j P-PORTS
//	nat OUTPUT          -m addrtype --dst-type LOCAL -j P-PORTS
//	nat P-PORTS         -p tcp --dport 8080 -j DNAT --to-destination 10.89.0.2:80
//	nat POSTROUTING     -j P-PORTS-POST
//	nat P-PORTS-POST    -s 127.0.0.0/8 -o BR -d 10.89.0.2 ... -j MASQUERADE
//	                    -s 10.89.0.0/16 -o BR -d 10.89.0.2 ... -j MASQUERADE
//	filter FORWARD      -j P-PORTS
//	filter P-PORTS      -o BR -d 10.89.0.2 ... --ctstate DNAT -j ACCEPT
//
// PREROUTING catches packets from other hosts and from containers;
// OUTPUT catches the host's own connections, including those to
// 127.0.0.1, which also need net.ipv4.conf.BR.route_localnet=1 and a
// masquerade so that the reply does not go to the container's own
// loopback. The second masquerade is the hairpin: a container reaching a
// published port of its own bridge. The lesson docs/plan/04-ports.md
// follows one packet through all of them.
//
// Every rule carries a comment naming its mapping, and the mappings are
// recorded under the state root, so a new process finds them again,
// Restore re-adds them after the rules were lost, and Unpublish removes
// exactly what Publish added.
package portmap
