package nettest

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/coreos/go-iptables/iptables"
	"github.com/vishvananda/netlink"
)

// Leaks records the links and files a test makes and checks, once every
// other clean-up of the test has run, that none of them remains and that
// no iptables chain or rule with the test's chain prefix is left.
type Leaks struct {
	prefix string
	links  []string
	paths  []string
}

// TrackLeaks starts recording for a test whose Manager uses chainPrefix.
// Call it before anything else that registers a clean-up: clean-ups run
// last-in first-out, so its check runs after all of them.
func TrackLeaks(t testing.TB, chainPrefix string) *Leaks {
	t.Helper()
	l := &Leaks{prefix: chainPrefix}
	t.Cleanup(func() { l.check(t) })
	return l
}

// Link records a host link that must be gone when the test ends.
func (l *Leaks) Link(names ...string) { l.links = append(l.links, names...) }

// Path records a file (a namespace pin) that must be gone.
func (l *Leaks) Path(paths ...string) { l.paths = append(l.paths, paths...) }

func (l *Leaks) check(t testing.TB) {
	t.Helper()
	for _, name := range l.links {
		if _, err := netlink.LinkByName(name); err == nil {
			t.Errorf("leak: link %s still exists", name)
		}
	}
	for _, p := range l.paths {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("leak: %s still exists", p)
		}
	}
	if left := IptablesWith(t, l.prefix); len(left) > 0 {
		t.Errorf("leak: iptables still holds %q", left)
	}
}

// IptablesWith returns every chain and rule of the filter and nat tables
// that mentions s, as `iptables -S` prints them.
func IptablesWith(t testing.TB, s string) []string {
	t.Helper()
	ipt, err := iptables.New()
	if err != nil {
		t.Fatalf("iptables: %v", err)
	}
	var found []string
	for _, table := range []string{"filter", "nat"} {
		chains, err := ipt.ListChains(table)
		if err != nil {
			t.Fatalf("list %s chains: %v", table, err)
		}
		for _, c := range chains {
			rules, err := ipt.List(table, c)
			if err != nil {
				continue // removed while we looked
			}
			for _, r := range rules {
				if strings.Contains(r, s) {
					found = append(found, table+": "+r)
				}
			}
		}
	}
	return found
}
