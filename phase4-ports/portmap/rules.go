package portmap

import (
	"fmt"
	"strconv"

	"github.com/coreos/go-iptables/iptables"
)

// The parts of chain names after the prefix.
const (
	dnatChain    = "-PORTS"      // nat, from PREROUTING and OUTPUT
	postChain    = "-PORTS-POST" // nat, from POSTROUTING
	forwardChain = "-PORTS"      // filter, from FORWARD
)

// rule is one iptables rule: table, chain, and its specification.
type rule struct {
	table, chain string
	spec         []string
}

// firewall adds and removes the rules of mappings in the chains of one
// prefix.
type firewall struct {
	ipt    *iptables.IPTables
	prefix string
}

func newFirewall(prefix string) (*firewall, error) {
	ipt, err := iptables.New(iptables.IPFamily(iptables.ProtocolIPv4), iptables.Timeout(5))
	if err != nil {
		return nil, fmt.Errorf("iptables: %w", err)
	}
	return &firewall{ipt: ipt, prefix: prefix}, nil
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

	rules := []rule{{"nat", p + dnatChain, dnat}}
	if m.HostIP.IsLoopback() || !m.HostIP.IsValid() {
		// From 127.0.0.1 the container could not answer: give the packet
		// the bridge's address as its source.
		spec := append([]string{"-s", "127.0.0.0/8", "-o", m.Bridge}, to...)
		rules = append(rules, rule{"nat", p + postChain, masquerade(spec, m)})
	}
	if m.Subnet.IsValid() {
		// Hairpin: a container of the same bridge would get the answer
		// straight from its neighbour, not from the address it asked.
		spec := append([]string{"-s", m.Subnet.String(), "-o", m.Bridge}, to...)
		rules = append(rules, rule{"nat", p + postChain, masquerade(spec, m)})
	}
	// Let the rewritten packets through FORWARD even where its policy
	// is DROP: only connections that this DNAT made.
	accept := append([]string{"-o", m.Bridge}, to...)
	accept = append(accept, "-m", "conntrack", "--ctstate", "DNAT")
	accept = append(accept, comment(m)...)
	rules = append(rules, rule{"filter", p + forwardChain, append(accept, "-j", "ACCEPT")})
	return rules
}

func masquerade(spec []string, m Mapping) []string {
	spec = append(spec, comment(m)...)
	return append(spec, "-j", "MASQUERADE")
}

// chains are the prefix's own chains.
func (fw *firewall) chains() []rule {
	p := fw.prefix
	return []rule{
		{table: "nat", chain: p + dnatChain},
		{table: "nat", chain: p + postChain},
		{table: "filter", chain: p + forwardChain},
	}
}

// jumps lead from the built-in chains into the prefix's own. Only packets
// for a local address (`-m addrtype --dst-type LOCAL`) look for a DNAT.
func (fw *firewall) jumps() []rule {
	p := fw.prefix
	local := []string{"-m", "addrtype", "--dst-type", "LOCAL", "-j", p + dnatChain}
	return []rule{
		{"nat", "PREROUTING", local},
		{"nat", "OUTPUT", local},
		{"nat", "POSTROUTING", []string{"-j", p + postChain}},
		{"filter", "FORWARD", []string{"-j", p + forwardChain}},
	}
}

// add sets up the chains if needed and appends m's rules (`iptables -A`),
// skipping any that exist already, so adding twice changes nothing.
func (fw *firewall) add(m Mapping) (err error) {
	if err := fw.setup(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			fw.remove(m)
		}
	}()
	for _, r := range fw.mappingRules(m) {
		if err := fw.ipt.AppendUnique(r.table, r.chain, r.spec...); err != nil {
			return fmt.Errorf("add rule to %s: %w", r.chain, err)
		}
	}
	return nil
}

// setup creates the chains (`iptables -N`) and inserts the jumps first in
// the built-in chains (`iptables -I PREROUTING 1 ...`) unless they exist.
func (fw *firewall) setup() error {
	for _, c := range fw.chains() {
		ok, err := fw.ipt.ChainExists(c.table, c.chain)
		if err != nil {
			return fmt.Errorf("find chain %s: %w", c.chain, err)
		}
		if !ok {
			if err := fw.ipt.NewChain(c.table, c.chain); err != nil {
				return fmt.Errorf("create chain %s: %w", c.chain, err)
			}
		}
	}
	for _, r := range fw.jumps() {
		ok, err := fw.ipt.Exists(r.table, r.chain, r.spec...)
		if err != nil {
			return fmt.Errorf("find jump in %s: %w", r.chain, err)
		}
		if !ok {
			if err := fw.ipt.Insert(r.table, r.chain, 1, r.spec...); err != nil {
				return fmt.Errorf("add jump to %s: %w", r.chain, err)
			}
		}
	}
	return nil
}

// remove deletes m's rules (`iptables -D`), then the jumps and chains if
// no mapping is left in them.
func (fw *firewall) remove(m Mapping) error {
	for _, r := range fw.mappingRules(m) {
		ok, err := fw.ipt.ChainExists(r.table, r.chain)
		if err != nil || !ok {
			continue
		}
		if err := fw.ipt.DeleteIfExists(r.table, r.chain, r.spec...); err != nil {
			return fmt.Errorf("delete rule from %s: %w", r.chain, err)
		}
	}
	return fw.teardownIfUnused()
}

// teardownIfUnused removes the jumps and chains once the chains hold no
// rule. It reads iptables itself, so two state roots sharing a prefix
// never pull the chains from under each other.
func (fw *firewall) teardownIfUnused() error {
	for _, c := range fw.chains() {
		rules, err := fw.ipt.List(c.table, c.chain)
		if err == nil && len(rules) > 1 { // the first line is "-N CHAIN"
			return nil
		}
	}
	for _, r := range fw.jumps() {
		if err := fw.ipt.DeleteIfExists(r.table, r.chain, r.spec...); err != nil {
			return fmt.Errorf("delete jump from %s: %w", r.chain, err)
		}
	}
	for _, c := range fw.chains() {
		ok, err := fw.ipt.ChainExists(c.table, c.chain)
		if err != nil || !ok {
			continue
		}
		// The chain is ours and empty; ClearAndDeleteChain flushes first.
		if err := fw.ipt.ClearAndDeleteChain(c.table, c.chain); err != nil {
			return fmt.Errorf("delete chain %s: %w", c.chain, err)
		}
	}
	return nil
}
