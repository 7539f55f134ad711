package dns

import (
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
)

// index is the zone in the shape queries need: every owner name the
// zone holds, mapped to what it holds. An index is never changed once
// built; the Zone builds a new one on every change and swaps it in, so
// queries read it without taking a lock.
type index struct {
	nodes  map[string]*node
	serial uint32
	// owners maps each address to the name of the container that holds
	// it on its network, and joined each name to the networks it is
	// registered on: together they tell the networks of the container
	// that asks.
	owners map[netip.Addr]string
	joined map[string][]string
}

// node is everything the zone holds at one owner name. A node with no
// data is an "empty non-terminal" (RFC 8020): a name such as
// net1.shibafu.internal. that exists because names exist below it, so a
// query for it gets NODATA rather than NXDOMAIN.
type node struct {
	// network is the network whose containers may see this name; empty
	// means every client may (the zone apex).
	network string
	v4, v6  []netip.Addr
	srv     []srvTarget
	ptr     []string
	// turn counts the queries answered from this node; it rotates the
	// order of addresses so that clients spread over a service's
	// replicas.
	turn atomic.Uint32
}

// srvTarget is one SRV record's data: a container's name and port.
type srvTarget struct {
	target string
	port   uint16
}

// buildIndex makes the index of records, which must be valid.
func buildIndex(records []Record, serial uint32) *index {
	idx := &index{nodes: map[string]*node{Domain: {}}, serial: serial,
		owners: map[netip.Addr]string{}, joined: map[string][]string{}}
	for _, r := range records {
		fqdn := r.FQDN()
		idx.joined[r.Name] = append(idx.joined[r.Name], r.Network)
		for _, ip := range r.IPs {
			idx.owners[ip] = r.Name
		}
		idx.node(fqdn, r.Network).addAddrs(r.IPs)
		for _, shared := range r.sharedNames() {
			owner := shared + "." + networkDomain(r.Network)
			idx.node(owner, r.Network).addAddrs(r.IPs)
		}
		if r.Service != "" {
			svc := r.Service + "." + networkDomain(r.Network)
			for _, p := range r.Ports {
				owner := "_" + p.label() + "._" + p.Proto + "." + svc
				n := idx.node(owner, r.Network)
				n.srv = append(n.srv, srvTarget{target: fqdn, port: p.Number})
			}
		}
		for _, ip := range r.IPs {
			n := idx.node(reverseName(ip), r.Network)
			n.ptr = append(n.ptr, fqdn)
		}
	}
	idx.addEmptyNonTerminals()
	return idx
}

// node returns the node at name, adding it if needed.
func (idx *index) node(name, network string) *node {
	n, ok := idx.nodes[name]
	if !ok {
		n = &node{network: network}
		idx.nodes[name] = n
	}
	return n
}

// addEmptyNonTerminals adds a node for every name between a name in
// the zone and the zone apex.
func (idx *index) addEmptyNonTerminals() {
	for name := range idx.nodes {
		if !inZone(name) {
			continue
		}
		for p := parent(name); len(p) > len(Domain); p = parent(p) {
			idx.node(p, networkOf(p))
		}
	}
}

// parent strips the first label of a fully qualified name.
func parent(name string) string {
	_, rest, _ := strings.Cut(name, ".")
	return rest
}

func (n *node) addAddrs(ips []netip.Addr) {
	for _, ip := range ips {
		if ip.Is4() {
			n.v4 = append(n.v4, ip)
		} else {
			n.v6 = append(n.v6, ip)
		}
	}
}

// rotate returns a copy of s started at the next turn of n: successive
// queries get s[0], s[1], s[2] first, as round-robin DNS does.
func rotate[T any](n *node, s []T) []T {
	if len(s) < 2 {
		return s
	}
	k := n.nextTurn(len(s))
	return slices.Concat(s[k:], s[:k])
}

// nextTurn returns where the next answer of count records starts, and
// counts the turn: 0, 1, 2, ... modulo count.
func (n *node) nextTurn(count int) int {
	if count < 2 {
		return 0
	}
	return int(n.turn.Add(1)-1) % count
}

// networksOf returns the networks whose names a client at src on
// network sees: that network first, then the other networks of the
// container that owns src, so that a container joined to several
// networks finds the names of each through any of their servers.
func (idx *index) networksOf(src netip.Addr, network string) []string {
	if network == "" {
		return nil
	}
	nets := []string{network}
	for _, n := range idx.joined[idx.owners[src.Unmap()]] {
		if !slices.Contains(nets, n) {
			nets = append(nets, n)
		}
	}
	return nets
}
