// Package chains keeps Shibafu's iptables rules in chains of its own, the
// way every phase that touches the firewall must: create the chains
// (`iptables -N`), insert one jump into each first in a built-in chain
// (`iptables -I FORWARD 1 -j SHIBAFU-FORWARD`), append and delete only
// its own rules, and remove the jumps and chains once nothing is left in
// them. Rules that Shibafu did not add are never touched, and no
// built-in chain is ever flushed.
//
// Networks (phase 2) and published ports (phase 4) each describe their
// chains as a Set.
package chains

import (
	"fmt"

	"github.com/coreos/go-iptables/iptables"
)

// Chain names one chain in one table ("filter", "nat").
type Chain struct {
	Table, Name string
}

// Rule is one iptables rule: its table, chain and specification, the
// arguments that follow `iptables -A CHAIN`.
type Rule struct {
	Table, Chain string
	Spec         []string
}

// Set is one kind of Shibafu's chains and the jumps that lead into them.
type Set struct {
	// IPT runs iptables; see New.
	IPT *iptables.IPTables
	// Chains are created by Setup and deleted by Teardown.
	Chains []Chain
	// Jumps are inserted first in their chains by Setup and removed by
	// Teardown.
	Jumps []Rule
	// Members are the chains that hold the callers' rules: Teardown
	// does nothing while any of them holds a rule.
	Members []Chain
}

// New returns an IPv4 iptables runner that waits up to five seconds for
// the xtables lock another program may hold.
func New() (*iptables.IPTables, error) {
	ipt, err := iptables.New(iptables.IPFamily(iptables.ProtocolIPv4), iptables.Timeout(5))
	if err != nil {
		return nil, fmt.Errorf("iptables: %w", err)
	}
	return ipt, nil
}

// Setup creates the chains and inserts the jumps, skipping what exists.
// The jumps go first in their chains so that Shibafu's rules decide
// before any rule that would accept the packet.
func (s Set) Setup() error {
	for _, c := range s.Chains {
		ok, err := s.IPT.ChainExists(c.Table, c.Name)
		if err != nil {
			return fmt.Errorf("find chain %s: %w", c.Name, err)
		}
		if !ok {
			if err := s.IPT.NewChain(c.Table, c.Name); err != nil {
				return fmt.Errorf("create chain %s: %w", c.Name, err)
			}
		}
	}
	for _, r := range s.Jumps {
		ok, err := s.IPT.Exists(r.Table, r.Chain, r.Spec...)
		if err != nil {
			return fmt.Errorf("find jump in %s: %w", r.Chain, err)
		}
		if !ok {
			if err := s.IPT.Insert(r.Table, r.Chain, 1, r.Spec...); err != nil {
				return fmt.Errorf("add jump to %s: %w", r.Chain, err)
			}
		}
	}
	return nil
}

// Add sets the chains up, then appends rules (`iptables -A`), skipping
// those that exist, so adding twice changes nothing. If one fails, the
// ones added are deleted again.
func (s Set) Add(rules []Rule) (err error) {
	if err := s.Setup(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.Remove(rules)
		}
	}()
	for _, r := range rules {
		if err := s.IPT.AppendUnique(r.Table, r.Chain, r.Spec...); err != nil {
			return fmt.Errorf("add rule to %s: %w", r.Chain, err)
		}
	}
	return nil
}

// Remove deletes rules (`iptables -D`) where they exist, then tears the
// chains down if they hold no other rule.
func (s Set) Remove(rules []Rule) error {
	for _, r := range rules {
		ok, err := s.IPT.ChainExists(r.Table, r.Chain)
		if err != nil || !ok {
			continue
		}
		if err := s.IPT.DeleteIfExists(r.Table, r.Chain, r.Spec...); err != nil {
			return fmt.Errorf("delete rule from %s: %w", r.Chain, err)
		}
	}
	return s.Teardown()
}

// Teardown removes the jumps and the chains, unless a member chain still
// holds a rule. It reads iptables itself rather than any record, so two
// state roots that share chains never pull them from under each other.
func (s Set) Teardown() error {
	for _, c := range s.Members {
		rules, err := s.IPT.List(c.Table, c.Name)
		if err == nil && len(rules) > 1 { // the first line is "-N CHAIN"
			return nil
		}
	}
	for _, r := range s.Jumps {
		if err := s.IPT.DeleteIfExists(r.Table, r.Chain, r.Spec...); err != nil {
			return fmt.Errorf("delete jump from %s: %w", r.Chain, err)
		}
	}
	for _, c := range s.Chains {
		ok, err := s.IPT.ChainExists(c.Table, c.Name)
		if err != nil || !ok {
			continue
		}
		// The chain is Shibafu's own; ClearAndDeleteChain flushes it
		// (of the jumps between Shibafu's chains) before deleting it.
		if err := s.IPT.ClearAndDeleteChain(c.Table, c.Name); err != nil {
			return fmt.Errorf("delete chain %s: %w", c.Name, err)
		}
	}
	return nil
}
