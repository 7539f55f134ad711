package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase6-dns/dns"
)

// serveOptions are the flags of serve.
type serveOptions struct {
	root, resolvConf    string
	listen, upstreams   []string
	views               []string
	networks, noForward bool
	rescan, fwdTimeout  time.Duration
	ttl                 uint32
	cacheSize           int
}

func newServeCmd(api *string) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the DNS server and its registration API",
		Long: `serve answers DNS over UDP and TCP on every --listen address. With
--networks it also listens on port 53 of the gateway of every phase 2
network under --root (checking for new ones every --rescan), and answers
each client from its own network's view: short names, and only that
network's names. --view adds such a view by hand. The records live in
ROOT/dns/records.json, loaded at start and rewritten on every change.

Names outside shibafu.internal go to the --upstream resolvers, by default
the nameservers of --resolv-conf; --no-forward refuses them instead. It
stops on SIGINT or SIGTERM.`,
		Example: `  shibafu-dns serve --networks
  shibafu-dns serve --listen 127.0.0.1:1053 --api 127.0.0.1:18053 \
      --view backend=10.90.0.0/24 --no-forward`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, *api, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.root, "root", network.DefaultRoot, "state root directory")
	f.StringArrayVar(&o.listen, "listen", []string{"127.0.0.1:53"},
		"IP:PORT to answer DNS on, over UDP and TCP (repeatable)")
	f.StringArrayVar(&o.views, "view", nil,
		"NETWORK=SUBNET: clients in SUBNET see NETWORK's names (repeatable)")
	f.BoolVar(&o.networks, "networks", false,
		"also listen on the gateway of every phase 2 network under --root")
	f.DurationVar(&o.rescan, "rescan", 2*time.Second, "how often --networks looks for changes")
	f.StringArrayVar(&o.upstreams, "upstream", nil,
		"IP[:PORT] of a resolver for other names (repeatable; default: from --resolv-conf)")
	f.StringVar(&o.resolvConf, "resolv-conf", "/etc/resolv.conf", "where to find upstreams")
	f.BoolVar(&o.noForward, "no-forward", false, "refuse names outside shibafu.internal")
	f.DurationVar(&o.fwdTimeout, "forward-timeout", dns.DefaultForwardTimeout,
		"time to wait for upstreams before answering SERVFAIL")
	f.Uint32Var(&o.ttl, "ttl", dns.DefaultTTL, "TTL of the zone's answers, in seconds")
	f.IntVar(&o.cacheSize, "cache-size", dns.DefaultCacheSize, "forwarded answers to keep")
	return cmd
}

// serve runs until ctx is cancelled.
func serve(ctx context.Context, api string, o serveOptions) error {
	zone, err := dns.OpenZone(dns.StateFile(o.root))
	if err != nil {
		return err
	}
	h := &dns.Handler{Zone: zone, Views: &dns.Views{}, TTL: o.ttl}
	for _, s := range o.views {
		v, err := parseView(s)
		if err != nil {
			return err
		}
		h.Views.Set(v)
	}
	if !o.noForward {
		if h.Forwarder, err = forwarder(o); err != nil {
			return err
		}
	}

	srv := &dns.Server{Handler: h}
	defer srv.Close()
	for _, addr := range o.listen {
		bound, err := srv.Listen(addr)
		if err != nil {
			return err
		}
		slog.Info("serving DNS", "addr", bound.String())
	}
	apiLn, err := net.Listen("tcp", api)
	if err != nil {
		return fmt.Errorf("listen api: %w", err)
	}
	httpSrv := &http.Server{Handler: dns.API(zone), ReadHeaderTimeout: 5 * time.Second}
	go httpSrv.Serve(apiLn)
	defer httpSrv.Close()
	slog.Info("serving the registration API", "addr", apiLn.Addr().String(),
		"records", len(zone.List("")))

	if o.networks {
		g := &dns.Gateways{Server: srv, Views: h.Views,
			Networks: &network.Manager{Root: o.root}}
		go followNetworks(ctx, g, o.rescan)
	}
	<-ctx.Done()
	slog.Info("shutting down")
	return nil
}

// forwarder builds the Forwarder of the flags: the upstreams given, or
// those of the resolv.conf file without the server's own addresses.
func forwarder(o serveOptions) (*dns.Forwarder, error) {
	ups := o.upstreams
	if len(ups) == 0 {
		var err error
		if ups, err = dns.Upstreams(o.resolvConf, o.listen...); err != nil {
			return nil, err
		}
	}
	slog.Info("forwarding other names", "upstreams", ups)
	return &dns.Forwarder{Upstreams: ups, Timeout: o.fwdTimeout,
		Cache: &dns.Cache{Size: o.cacheSize}}, nil
}

// followNetworks keeps the server on every network's gateway until ctx
// is cancelled, logging what changes.
func followNetworks(ctx context.Context, g *dns.Gateways, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last map[string]string
	for {
		if err := g.Sync(ctx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Warn("cannot serve every network", "err", err)
		}
		if now := g.Bound(); !maps.Equal(now, last) {
			slog.Info("serving networks", "gateways", now)
			last = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// parseView reads a --view flag, NETWORK=SUBNET.
func parseView(s string) (dns.View, error) {
	name, subnet, ok := strings.Cut(s, "=")
	p, err := netip.ParsePrefix(subnet)
	if !ok || err != nil {
		return dns.View{}, fmt.Errorf("--view %q: want NETWORK=SUBNET, such as web=10.90.0.0/24",
			s)
	}
	return dns.View{Network: name, Subnet: p}, nil
}
