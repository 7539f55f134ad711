// Command shibafud is Shibafu's container runtime daemon: it serves the
// API of package api on a unix socket and runs containers through
// package daemon, which joins phases 1 to 6.
//
// It must run as root. Containers are re-executed from this very binary
// (as their init, and as the shim that outlives the daemon), which is
// why main calls container.Reexec before anything else.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase6-dns/dns"

	"shibafu.dev/phase7-runtime/client"
	"shibafu.dev/phase7-runtime/daemon"
	"shibafu.dev/phase7-runtime/server"
)

func main() {
	container.Reexec()
	cli.Main(newCommand())
}

// options are the command line of shibafud.
type options struct {
	cfg        daemon.Config
	socket     string
	upstreams  []string
	noForward  bool
	resolvConf string
	metrics    string
	logMaxSize string
	tls        tlsOptions // tls.go
}

func newCommand() *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   "shibafud",
		Short: "Shibafu's container runtime daemon",
		Long: `shibafud runs containers for the shibafu CLI. It serves its API on a unix
socket (root only), keeps its state under --root, creates the default
network if it is missing, serves DNS for containers on every network's
gateway, and takes back the containers a previous daemon left running.
It stops on SIGINT or SIGTERM; containers keep running.`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.cfg.Root, "root", daemon.DefaultRoot, "state root directory")
	f.StringVar(&o.socket, "socket", client.DefaultSocket, "unix socket to serve the API on")
	f.StringVar(&o.cfg.Network, "network", network.DefaultName, "default network's name")
	f.StringVar(&o.cfg.Subnet, "subnet", network.DefaultSubnet, "default network's subnet")
	f.StringVar(&o.cfg.ChainPrefix, "chain-prefix", network.DefaultChainPrefix,
		"prefix of the iptables chains")
	f.Uint16Var(&o.cfg.DNSPort, "dns-port", 53, "port of the DNS server on each gateway")
	f.StringArrayVar(&o.upstreams, "dns-upstream", nil,
		"resolver for names outside shibafu.internal (repeatable; default: from --resolv-conf)")
	f.StringVar(&o.resolvConf, "resolv-conf", "/etc/resolv.conf", "where to find DNS upstreams")
	f.BoolVar(&o.noForward, "no-dns-forward", false, "refuse names outside shibafu.internal")
	f.DurationVar(&o.cfg.StopTimeout, "stop-timeout", daemon.DefaultStopTimeout,
		"default grace period of stop before SIGKILL")
	f.DurationVar(&o.cfg.StatsInterval, "stats-interval", daemon.DefaultStatsInterval,
		"how often to sample every running container's resource use")
	f.StringVar(&o.logMaxSize, "log-max-size", "10m",
		"rotate a container's log file past this size, such as 10m")
	f.IntVar(&o.cfg.LogMaxFiles, "log-max-files", daemon.DefaultLogMaxFiles,
		"log files kept per container, the current one included")
	f.StringVar(&o.metrics, "metrics-addr", "",
		"also serve GET /metrics on this TCP address, such as 127.0.0.1:9323")
	o.tls.register(cmd)
	return cmd
}

// serve runs the daemon until ctx is cancelled.
func serve(ctx context.Context, o options) error {
	if os.Geteuid() != 0 {
		return errors.New("permission denied: shibafud must run as root")
	}
	size, err := bundle.ParseSize(o.logMaxSize)
	if err != nil || size <= 0 || o.cfg.LogMaxFiles < 1 {
		return fmt.Errorf("--log-max-size %q, --log-max-files %d: want a size such as 10m"+
			" and at least one file", o.logMaxSize, o.cfg.LogMaxFiles)
	}
	o.cfg.LogMaxSize = size
	tlsConfig, err := o.tls.config()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	o.cfg.Logger = log
	if !o.noForward {
		o.cfg.DNSUpstreams = o.upstreams
		if len(o.upstreams) == 0 {
			ups, err := dns.Upstreams(o.resolvConf)
			if err != nil {
				return fmt.Errorf("dns upstreams: %w", err)
			}
			o.cfg.DNSUpstreams = ups
		}
	}

	d, err := daemon.Open(ctx, o.cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	ln, err := server.Listen(o.socket)
	if err != nil {
		return err
	}
	defer os.Remove(o.socket)

	api := &server.Server{Daemon: d, Logger: log}
	srv := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// Requests end when the daemon is told to stop, so that
		// followers (logs -f, events, stats) do not hold up Shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 3)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("shibafud is serving", "socket", o.socket, "root", o.cfg.Root, "pid", os.Getpid())
	if o.metrics != "" {
		msrv, err := serveMetrics(o.metrics, api, errc)
		if err != nil {
			return err
		}
		defer msrv.Close()
		log.Info("serving metrics", "addr", o.metrics)
	}
	if tlsConfig != nil {
		tsrv, err := serveTLS(ctx, o.tls.listen, tlsConfig, api.Handler(), errc)
		if err != nil {
			return fmt.Errorf("--tls-listen: %w", err)
		}
		defer tsrv.Close()
		log.Info("serving the API with TLS", "addr", o.tls.listen)
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down; containers keep running")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// serveMetrics serves /metrics alone on a TCP address: the API stays on
// the root-only socket, while a Prometheus server can scrape over TCP.
func serveMetrics(addr string, api *server.Server, errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", api.MetricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { errc <- srv.Serve(ln) }()
	return srv, nil
}
