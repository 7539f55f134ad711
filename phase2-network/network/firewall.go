package network

import "shibafu.dev/phase2-network/chains"

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
	set    chains.Set
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
	ipt, err := chains.New()
	if err != nil {
		return nil, err
	}
	p := m.chainPrefix()
	return &firewall{prefix: p, set: chains.Set{
		IPT: ipt,
		Chains: []chains.Chain{
			{Table: "filter", Name: p + forwardChain},
			{Table: "filter", Name: p + isolate1},
			{Table: "filter", Name: p + isolate2},
			{Table: "nat", Name: p + natChain},
		},
		Jumps: []chains.Rule{
			{Table: "filter", Chain: "FORWARD", Spec: []string{"-j", p + forwardChain}},
			{Table: "filter", Chain: p + forwardChain, Spec: []string{"-j", p + isolate1}},
			{Table: "nat", Chain: "POSTROUTING", Spec: []string{"-j", p + natChain}},
		},
		// Every network adds one rule to each of these.
		Members: []chains.Chain{
			{Table: "filter", Name: p + isolate1},
			{Table: "nat", Name: p + natChain},
		},
	}}, nil
}

// networkRules are the rules that belong to network n, in the order they
// are added.
func (fw *firewall) networkRules(n *Network) []chains.Rule {
	br, p := n.Bridge, fw.prefix
	comment := []string{"-m", "comment", "--comment", "shibafu network " + n.Name}
	with := func(spec ...string) []string { return append(spec, comment...) }
	return []chains.Rule{
		{Table: "filter", Chain: p + isolate1, Spec: with("-i", br, "!", "-o", br, "-j", p+isolate2)},
		{Table: "filter", Chain: p + isolate2, Spec: with("-o", br, "-j", "DROP")},
		{Table: "filter", Chain: p + forwardChain, Spec: with("-i", br, "-j", "ACCEPT")},
		{Table: "filter", Chain: p + forwardChain, Spec: with("-o", br, "-m", "conntrack",
			"--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT")},
		{Table: "nat", Chain: p + natChain,
			Spec: with("-s", n.Subnet.String(), "!", "-o", br, "-j", "MASQUERADE")},
	}
}

// addNetwork sets up the shared chains if needed, then adds n's rules
// (`iptables -A ...` for each).
func (fw *firewall) addNetwork(n *Network) error {
	return fw.set.Add(fw.networkRules(n))
}

// removeNetwork deletes n's rules (`iptables -D ...`); once no network
// is left in the chains, it removes the jumps and the chains as well.
func (fw *firewall) removeNetwork(n *Network) error {
	return fw.set.Remove(fw.networkRules(n))
}
