package dns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"shibafu.dev/phase2-network/network"
)

// Gateways keeps a Server listening on the gateway address of every
// phase 2 network, and Views in step with their subnets: a container's
// resolv.conf names its gateway, and its queries are answered from its
// own network's view. Call Sync when networks may have changed.
type Gateways struct {
	// Server listens on the gateways; Views learns the subnets.
	Server *Server
	Views  *Views
	// Networks lists the networks, from the phase 2 state root.
	Networks *network.Manager
	// Port is the port to listen on; 0 means 53, the only port a
	// resolv.conf can name.
	Port uint16

	mu    sync.Mutex
	bound map[string]netip.AddrPort // by network name
}

// Sync listens on the gateways of networks created since the last
// call, and stops listening on those of networks removed. It returns
// every error met, but carries on past each one.
func (g *Gateways) Sync(ctx context.Context) error {
	nets, err := g.Networks.List(ctx)
	if err != nil {
		return fmt.Errorf("sync gateways: %w", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.bound == nil {
		g.bound = map[string]netip.AddrPort{}
	}

	var errs []error
	seen := map[string]bool{}
	for _, n := range nets {
		seen[n.Name] = true
		if _, ok := g.bound[n.Name]; ok {
			continue
		}
		g.Views.Set(View{Network: n.Name, Subnet: n.Subnet})
		addr, err := g.Server.Listen(netip.AddrPortFrom(n.Gateway, g.port()).String())
		if err != nil {
			errs = append(errs, fmt.Errorf("network %s: %w", n.Name, err))
			continue
		}
		g.bound[n.Name] = addr
	}
	for name, addr := range g.bound {
		if !seen[name] {
			errs = append(errs, g.Server.Unlisten(addr))
			g.Views.Remove(name)
			delete(g.bound, name)
		}
	}
	return errors.Join(errs...)
}

// Bound returns the address listened on for each network.
func (g *Gateways) Bound() map[string]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]string{}
	for name, addr := range g.bound {
		out[name] = addr.String()
	}
	return out
}

func (g *Gateways) port() uint16 {
	if g.Port == 0 {
		return 53
	}
	return g.Port
}
