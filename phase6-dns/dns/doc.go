// Package dns is Shibafu's service discovery: a DNS server that gives
// every container a name on its network and forwards every other name
// to the host's resolvers.
//
// The pieces, each in a file of its own:
//
//   - Record and Zone hold the registrations (record.go, zone.go); a
//     Zone built with OpenZone keeps a JSON copy under the state root
//     (store.go), so a restarted server answers at once.
//   - The zone is turned into an index of owner names (index.go) that
//     Handler answers from (handler.go, answer.go): A, AAAA, SRV, PTR
//     and SOA records under shibafu.internal., with NXDOMAIN and NODATA
//     told apart as RFC 2308 asks.
//   - Views maps a client's source address to its network, so that a
//     container sees only its own network's names (views.go).
//   - Forwarder and Cache send other names upstream and keep the
//     answers for their TTLs (forward.go, cache.go).
//   - Server listens over UDP and TCP (server.go); Gateways makes it
//     listen on the gateway of every phase 2 network (gateways.go).
//   - API and Client are the HTTP registration API (api.go, client.go);
//     ResolvConf is the file containers read (resolvconf.go).
//
// Inside this package the identifier dns is github.com/miekg/dns, the
// DNS library that parses and writes the messages; this package adds
// what a container platform needs on top of it.
//
// The lesson docs/plan/06-dns.md walks through the design.
package dns
