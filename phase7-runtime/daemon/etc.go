package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase6-dns/dns"
)

// writeEtc writes the container's /etc/resolv.conf, /etc/hosts and
// /etc/hostname into its runtime directory and adds them to the spec as
// read-only bind mounts, as Docker does: the image's own files stay
// untouched, and the daemon owns what the container sees.
func (d *Daemon) writeEtc(spec *specs.Spec, rec *record) error {
	if err := d.writeNetworkFiles(rec); err != nil {
		return err
	}
	spec.Mounts = append(spec.Mounts,
		dns.ResolvConfMount(filepath.Join(d.runtimeDir(rec.ID), "resolv.conf")),
		etcMount(d.runtimeDir(rec.ID), "hosts"))
	path := filepath.Join(d.runtimeDir(rec.ID), "hostname")
	if err := os.WriteFile(path, []byte(hostnameOf(rec)+"\n"), 0o644); err != nil {
		return fmt.Errorf("write hostname: %w", err)
	}
	spec.Mounts = append(spec.Mounts, etcMount(d.runtimeDir(rec.ID), "hostname"))
	return nil
}

// writeNetworkFiles writes the resolv.conf and hosts of the container's
// networks now. They are written in place, not renamed over: a running
// container's bind mount holds the file's inode, so that is how it sees
// the change when it joins or leaves a network.
func (d *Daemon) writeNetworkFiles(rec *record) error {
	dir := d.runtimeDir(rec.ID)
	err := os.WriteFile(filepath.Join(dir, "resolv.conf"), []byte(resolvConf(rec).String()),
		0o644)
	if err != nil {
		return fmt.Errorf("write resolv.conf: %w", err)
	}
	err = os.WriteFile(filepath.Join(dir, "hosts"), []byte(hostsFile(rec)), 0o644)
	if err != nil {
		return fmt.Errorf("write hosts: %w", err)
	}
	return nil
}

// resolvConf is the container's resolver configuration: the DNS server
// on its first network's gateway, which answers the names of all its
// networks (phase 6 sees which container asks), and the search domain
// of each network, in order, so that a short name is looked up on each.
func resolvConf(rec *record) dns.ResolvConf {
	first := rec.Endpoints[0]
	rc := dns.ForNetwork(first.Network, first.Gateway)
	for _, ep := range rec.Endpoints[1:] {
		rc.Search = append(rc.Search, dns.ForNetwork(ep.Network, ep.Gateway).Search...)
	}
	return rc
}

// etcMount shows the file NAME of dir at /etc/NAME in the container,
// read-only.
func etcMount(dir, name string) specs.Mount {
	return specs.Mount{
		Destination: "/etc/" + name, Type: "bind", Source: filepath.Join(dir, name),
		Options: []string{"rbind", "ro"},
	}
}

// hostnameOf is the container's host name: --hostname, else its name.
func hostnameOf(rec *record) string {
	if rec.Config.Hostname != "" {
		return rec.Config.Hostname
	}
	return rec.Name
}

// hostsFile is the container's /etc/hosts (hosts(5)): loopback, and its
// own address on each network under its host name, its name and its
// FQDN there (NAME.NETWORK.shibafu.internal), so that it finds itself
// without asking DNS. Other containers are left to DNS, which follows
// them as they come and go.
func hostsFile(rec *record) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	for _, ep := range rec.Endpoints {
		names := []string{hostnameOf(rec)}
		if rec.Name != names[0] {
			names = append(names, rec.Name)
		}
		fqdn := dns.Record{Network: ep.Network, Name: rec.Name}.FQDN()
		names = append(names, strings.TrimSuffix(fqdn, "."))
		fmt.Fprintf(&b, "%s\t%s\n", ep.Address.Addr(), strings.Join(names, " "))
	}
	return b.String()
}
