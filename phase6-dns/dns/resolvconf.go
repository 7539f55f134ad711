package dns

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// ResolvConf is the resolver configuration a container reads from
// /etc/resolv.conf (resolv.conf(5)).
type ResolvConf struct {
	// Nameservers are asked in order; the C library reads at most three.
	Nameservers []netip.Addr
	// Search lists the domains tried after a name with fewer dots than
	// ndots, so that "web" becomes web.NETWORK.shibafu.internal.
	Search []string
	// Options are written as they are, such as "ndots:1".
	Options []string
}

// ForNetwork is the configuration of a container on network, whose DNS
// server listens on the network's gateway. ndots:1 (the C library's
// default, written out for the reader) makes any name without a dot try
// the search domain first.
func ForNetwork(network string, gateway netip.Addr) ResolvConf {
	return ResolvConf{
		Nameservers: []netip.Addr{gateway},
		Search:      []string{strings.TrimSuffix(networkDomain(network), ".")},
		Options:     []string{"ndots:1"},
	}
}

// String renders the file.
func (c ResolvConf) String() string {
	var b strings.Builder
	b.WriteString("# Written by Shibafu: this container's names are served by shibafu-dns.\n")
	for _, ns := range c.Nameservers {
		fmt.Fprintf(&b, "nameserver %s\n", ns)
	}
	if len(c.Search) > 0 {
		fmt.Fprintf(&b, "search %s\n", strings.Join(c.Search, " "))
	}
	if len(c.Options) > 0 {
		fmt.Fprintf(&b, "options %s\n", strings.Join(c.Options, " "))
	}
	return b.String()
}

// WriteFile writes the file to path, replacing it atomically, readable
// by every user of the container.
func (c ResolvConf) WriteFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write resolv.conf: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(c.String()), 0o644); err != nil {
		return fmt.Errorf("write resolv.conf: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write resolv.conf: %w", err)
	}
	return nil
}

// ResolvConfMount is the OCI mount that shows the file at path as the
// container's /etc/resolv.conf, read-only: a bind mount, as Docker and
// Podman make. Append it to the spec's Mounts.
func ResolvConfMount(path string) specs.Mount {
	return specs.Mount{
		Destination: "/etc/resolv.conf",
		Type:        "bind",
		Source:      path,
		Options:     []string{"rbind", "ro"},
	}
}
