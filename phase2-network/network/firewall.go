package network

import (
	"fmt"

	"github.com/coreos/go-iptables/iptables"
)

// firewall adds and removes the iptables rules of networks, in chains of
// their own whose names start with the Manager's prefix P:
//
//	filter FORWARD      -j P-FORWARD            (one jump, inserted first)
//	filter P-FORWARD    -j P-ISOLATE-1          (isolation comes first)
//	                    -i BR -j ACCEPT         (per network: out of it,
//	                    -o BR -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
//	                                             and replies back in)
//	filter P-ISOLATE-1  -i BR ! -o BR -j P-ISOLATE-2   (per network)
//	filter P-ISOLATE-2  -o BR -j DROP                   (per network)
//	nat POSTROUTING     -j P-POSTROUTING        (one jump)
//	nat P-POSTROUTING   -s SUBNET ! -o BR -j MASQUERADE (per network)
//
// Isolation works in two stages, as Docker's does: a packet that leaves
// bridge A for any other interface goes to stage 2, which drops it if
// that interface is another Shibafu bridge. Each network adds one rule
// to each stage, so removing a network removes exactly its own rules.
// Every rule carries a comment naming its network, for `iptables -S`.
type firewall struct {
	ipt    *iptables.IPTables
	prefix string
}

// The parts of chain names after the prefix.
const (
	forwardChain = "-FORWARD"
	isolate1     = "-ISOLATE-1"
	isolate2     = "-ISOLATE-2"
	natChain     = "-POSTROUTING"
)

// firewall returns the firewall of the Manager's chain prefix.
func (m *Manager) firewall() (*firewall, error) {
	ipt, err := iptables.New(iptables.IPFamily(iptables.ProtocolIPv4), iptables.Timeout(5))
	if err != nil {
		return nil, fmt.Errorf("iptables: %w", err)
	}
	return &firewall{ipt: ipt, prefix: m.chainPrefix()}, nil
}

// rule is one iptables rule: table, chain, and its specification.
type rule struct {
	table, chain string
	spec         []string
}

// networkRules are the rules that belong to network n, in the order they
// are added.
func (fw *firewall) networkRules(n *Network) []rule {
	br, p := n.Bridge, fw.prefix
	comment := []string{"-m", "comment", "--comment", "shibafu network " + n.Name}
	with := func(spec ...string) []string { return append(spec, comment...) }
	return []rule{
		{"filter", p + isolate1, with("-i", br, "!", "-o", br, "-j", p+isolate2)},
		{"filter", p + isolate2, with("-o", br, "-j", "DROP")},
		{"filter", p + forwardChain, with("-i", br, "-j", "ACCEPT")},
		{"filter", p + forwardChain, with("-o", br, "-m", "conntrack",
			"--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT")},
		{"nat", p + natChain, with("-s", n.Subnet.String(), "!", "-o", br, "-j", "MASQUERADE")},
	}
}

// baseRules are the jumps into Shibafu's chains, shared by every network
// of one prefix.
func (fw *firewall) baseRules() []rule {
	p := fw.prefix
	return []rule{
		{"filter", "FORWARD", []string{"-j", p + forwardChain}},
		{"filter", p + forwardChain, []string{"-j", p + isolate1}},
		{"nat", "POSTROUTING", []string{"-j", p + natChain}},
	}
}

// chains are Shibafu's own chains, by table.
func (fw *firewall) chains() []rule {
	p := fw.prefix
	return []rule{
		{table: "filter", chain: p + forwardChain},
		{table: "filter", chain: p + isolate1},
		{table: "filter", chain: p + isolate2},
		{table: "nat", chain: p + natChain},
	}
}

// addNetwork sets up the shared chains if needed, then adds n's rules
// (`iptables -A ...` for each).
func (fw *firewall) addNetwork(n *Network) (err error) {
	if err := fw.setup(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			fw.removeNetwork(n)
		}
	}()
	for _, r := range fw.networkRules(n) {
		if err := fw.ipt.AppendUnique(r.table, r.chain, r.spec...); err != nil {
			return fmt.Errorf("add rule to %s: %w", r.chain, err)
		}
	}
	return nil
}

// setup creates Shibafu's chains (`iptables -N`) and the jumps into them
// (`iptables -I FORWARD 1 -j P-FORWARD`) unless they exist already. The
// jumps go first in the built-in chains so that isolation is decided
// before any rule that would accept the packet.
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
	for _, r := range fw.baseRules() {
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

// removeNetwork deletes n's rules (`iptables -D ...`); once no network
// is left in the chains, it removes the jumps and the chains as well.
func (fw *firewall) removeNetwork(n *Network) error {
	for _, r := range fw.networkRules(n) {
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

// teardownIfUnused removes the jumps and Shibafu's chains when they hold
// no network's rules. It reads iptables, not Shibafu's records, so two
// state roots that share a prefix never pull the chains from under each
// other.
func (fw *firewall) teardownIfUnused() error {
	p := fw.prefix
	perNetwork := []rule{{table: "filter", chain: p + isolate1}, {table: "nat", chain: p + natChain}}
	for _, c := range perNetwork {
		rules, err := fw.ipt.List(c.table, c.chain)
		if err != nil {
			continue // the chain is gone already
		}
		if len(rules) > 1 { // the first line is "-N CHAIN"
			return nil
		}
	}

	for _, r := range fw.baseRules() {
		if err := fw.ipt.DeleteIfExists(r.table, r.chain, r.spec...); err != nil {
			return fmt.Errorf("delete jump from %s: %w", r.chain, err)
		}
	}
	for _, c := range fw.chains() {
		ok, err := fw.ipt.ChainExists(c.table, c.chain)
		if err != nil || !ok {
			continue
		}
		// ClearAndDeleteChain flushes before deleting; the chain is ours.
		if err := fw.ipt.ClearAndDeleteChain(c.table, c.chain); err != nil {
			return fmt.Errorf("delete chain %s: %w", c.chain, err)
		}
	}
	return nil
}
