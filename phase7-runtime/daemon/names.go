package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase6-dns/dns"

	"shibafu.dev/phase7-runtime/api"
)

// names is the daemon's service discovery, phase 6 running inside it: a
// zone of container records kept under the state root, and a DNS server
// on the gateway of every network that answers each container from its
// own network's view.
type names struct {
	zone     *dns.Zone
	server   *dns.Server
	gateways *dns.Gateways
}

// openNames loads the zone and prepares the server; sync starts it.
func openNames(cfg Config, networks *network.Manager) (*names, error) {
	zone, err := dns.OpenZone(dns.StateFile(cfg.Root))
	if err != nil {
		return nil, err
	}
	h := &dns.Handler{Zone: zone, Views: &dns.Views{}}
	if len(cfg.DNSUpstreams) > 0 {
		h.Forwarder = &dns.Forwarder{Upstreams: cfg.DNSUpstreams, Cache: &dns.Cache{}}
	}
	srv := &dns.Server{Handler: h}
	return &names{
		zone:   zone,
		server: srv,
		gateways: &dns.Gateways{Server: srv, Views: h.Views, Networks: networks,
			Port: cfg.DNSPort},
	}, nil
}

// sync makes the server listen on the gateways of networks created
// since, and stop on those of networks removed.
func (n *names) sync(ctx context.Context) error {
	return n.gateways.Sync(ctx)
}

// register publishes a container's name on each of its networks, and
// its aliases, each a name (phase 6) that every container with that
// alias answers, in turn. The first alias is the record's service,
// which older daemons used for the one alias they knew.
func (n *names) register(name string, aliases []string, eps []network.Endpoint) error {
	var service string
	if len(aliases) > 0 {
		service, aliases = aliases[0], aliases[1:]
	}
	for _, ep := range eps {
		rec := dns.Record{Network: ep.Network, Name: name, IPs: []netip.Addr{ep.Address.Addr()},
			Service: service, Aliases: aliases}
		if err := n.zone.Put(rec); err != nil {
			return fmt.Errorf("register %s on %s: %w", name, ep.Network, err)
		}
	}
	return nil
}

// unregister removes a container's name from the given networks; names
// already gone are fine.
func (n *names) unregister(name string, networks []string) error {
	var errs []error
	for _, net := range networks {
		err := n.zone.Delete(net, name)
		if err != nil && !errors.Is(err, dns.ErrNotFound) {
			errs = append(errs, fmt.Errorf("unregister %s on %s: %w", name, net, err))
		}
	}
	return errors.Join(errs...)
}

func (n *names) close() error { return n.server.Close() }

// aliasesOf returns the network aliases a container was asked for: the
// one Alias of older clients first, then Aliases, each once.
func aliasesOf(req api.RunRequest) []string {
	var out []string
	for _, a := range append([]string{req.Alias}, req.Aliases...) {
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
