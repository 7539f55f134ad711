package portmap

import (
	"fmt"
	"strconv"

	"shibafu.dev/phase2-network/chains"
)

// The parts of chain names after the prefix.
const (
	dnatChain    = "-PORTS"      // nat, from PREROUTING and OUTPUT
	postChain    = "-PORTS-POST" // nat, from POSTROUTING
	forwardChain = "-PORTS"      // filter, from FORWARD
)

// rule is one iptables rule: table, chain, and its specification.
type rule = chains.Rule

// firewall adds and removes the rules of mappings in the chains of one
// prefix.
type firewall struct {
	set    chains.Set
	prefix string
}

// newFirewall describes the prefix's chains and the jumps into them. Only
// packets for a local address (`-m addrtype --dst-type LOCAL`) look for a
// DNAT.
func newFirewall(p string) (*firewall, error) {
	ipt, err := chains.New()
	if err != nil {
		return nil, err
	}
	own := []chains.Chain{
		{Table: "nat", Name: p + dnatChain},
		{Table: "nat", Name: p + postChain},
		{Table: "filter", Name: p + forwardChain},
	}
	local := []string{"-m", "addrtype", "--dst-type", "LOCAL", "-j", p + dnatChain}
	return &firewall{prefix: p, set: chains.Set{
		IPT:    ipt,
		Chains: own,
		Jumps: []chains.Rule{
			{Table: "nat", Chain: "PREROUTING", Spec: local},
			{Table: "nat", Chain: "OUTPUT", Spec: local},
			{Table: "nat", Chain: "POSTROUTING", Spec: []string{"-j", p + postChain}},
			{Table: "filter", Chain: "FORWARD", Spec: []string{"-j", p + forwardChain}},
		},
		Members: own,
	}}, nil
}

// comment names the mapping a rule belongs to in `iptables -S`. It holds
// the host side, so two mappings to the same container port still make
// rules that differ, and deleting one leaves the other's alone.
func comment(m Mapping) []string {
	c := fmt.Sprintf("shibafu port %s/%s", m.Proto, m.hostAddr())
	if m.Owner != "" {
		c += " " + m.Owner
	}
	return []string{"-m", "comment", "--comment", c}
}

// mappingRules are the rules of one mapping, in the order they are added.
func (fw *firewall) mappingRules(m Mapping) []rule {
	p, proto := fw.prefix, string(m.Proto)
	ctr := m.ContainerIP.String()
	cport := strconv.Itoa(int(m.ContainerPort))
	to := []string{"-d", ctr + "/32", "-p", proto, "-m", proto, "--dport", cport}

	// iptables -t nat -A P-PORTS [-d HOSTIP] -p tcp --dport 8080
	//     -j DNAT --to-destination CONTAINER:80
	dnat := []string{"-p", proto, "-m", proto, "--dport", strconv.Itoa(int(m.HostPort))}
	if m.HostIP.IsValid() {
		dnat = append([]string{"-d", m.HostIP.String() + "/32"}, dnat...)
	}
	dnat = append(dnat, comment(m)...)
	dnat = append(dnat, "-j", "DNAT", "--to-destination", ctr+":"+cport)

	rules := []rule{{Table: "nat", Chain: p + dnatChain, Spec: dnat}}
	if m.HostIP.IsLoopback() || !m.HostIP.IsValid() {
		// From 127.0.0.1 the container could not answer: give the packet
		// the bridge's address as its source.
		spec := append([]string{"-s", "127.0.0.0/8", "-o", m.Bridge}, to...)
		rules = append(rules, rule{Table: "nat", Chain: p + postChain, Spec: masquerade(spec, m)})
	}
	if m.Subnet.IsValid() {
		// Hairpin: a container of the same bridge would get the answer
		// straight from its neighbour, not from the address it asked.
		spec := append([]string{"-s", m.Subnet.String(), "-o", m.Bridge}, to...)
		rules = append(rules, rule{Table: "nat", Chain: p + postChain, Spec: masquerade(spec, m)})
	}
	// Let the rewritten packets through FORWARD even where its policy
	// is DROP: only connections that this DNAT made.
	accept := append([]string{"-o", m.Bridge}, to...)
	accept = append(accept, "-m", "conntrack", "--ctstate", "DNAT")
	accept = append(accept, comment(m)...)
	rules = append(rules, rule{Table: "filter", Chain: p + forwardChain,
		Spec: append(accept, "-j", "ACCEPT")})
	return rules
}

func masquerade(spec []string, m Mapping) []string {
	spec = append(spec, comment(m)...)
	return append(spec, "-j", "MASQUERADE")
}

// add appends m's rules (`iptables -A`), setting the chains up first if
// needed; adding twice changes nothing.
func (fw *firewall) add(m Mapping) error {
	return fw.set.Add(fw.mappingRules(m))
}

// remove deletes m's rules (`iptables -D`), then the jumps and chains if
// no mapping is left in them.
func (fw *firewall) remove(m Mapping) error {
	return fw.set.Remove(fw.mappingRules(m))
}
