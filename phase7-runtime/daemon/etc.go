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
	first := rec.Endpoints[0]
	resolv := filepath.Join(d.runtimeDir(rec.ID), "resolv.conf")
	if err := dns.ForNetwork(first.Network, first.Gateway).WriteFile(resolv); err != nil {
		return err
	}
	spec.Mounts = append(spec.Mounts, dns.ResolvConfMount(resolv))

	if err := d.bindFile(spec, rec.ID, "hosts", hostsFile(spec.Hostname, rec)); err != nil {
		return err
	}
	return d.bindFile(spec, rec.ID, "hostname", spec.Hostname+"\n")
}

// bindFile writes content to the runtime directory and mounts it at
// /etc/NAME in the container, read-only.
func (d *Daemon) bindFile(spec *specs.Spec, id, name, content string) error {
	path := filepath.Join(d.runtimeDir(id), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	spec.Mounts = append(spec.Mounts, specs.Mount{
		Destination: "/etc/" + name, Type: "bind", Source: path,
		Options: []string{"rbind", "ro"},
	})
	return nil
}

// hostsFile is the container's /etc/hosts (hosts(5)): loopback, and its
// own address under its host name and its name.
func hostsFile(hostname string, rec *record) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	names := hostname
	if rec.Name != hostname {
		names += " " + rec.Name
	}
	fmt.Fprintf(&b, "%s\t%s\n", rec.Endpoints[0].Address.Addr(), names)
	return b.String()
}
