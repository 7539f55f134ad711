package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase4-ports/proxy"
)

// proxyFlags are the flags of a one-frontend, one-pool proxy.
type proxyFlags struct {
	config, listen, mode, balance, admin string
	backends                             []string
	healthPath                           string
	healthInterval                       time.Duration
	accessLog                            bool
}

func newProxyCmd() *cobra.Command {
	var f proxyFlags
	cmd := &cobra.Command{
		Use:   "proxy (--config FILE | --listen ADDR --backend ADDR...) [flags]",
		Short: "Run the HTTP/TCP load-balancing proxy",
		Long: `proxy runs Shibafu's load balancer in the foreground until SIGINT or
SIGTERM, then lets requests under way finish (up to 10s). It logs JSON
lines to stderr: events, and one "access" line per HTTP request unless
--access-log=false.

A config file (JSON, see docs/plan/04-ports.md) can hold several
frontends and pools; the flags describe one frontend and one pool named
"default", changeable at run time through --admin:

  curl -X PUT -d '{"backends":["127.0.0.1:9003"]}' ADMIN/pools/default`,
		Example: `  shibafu-ports proxy --listen 127.0.0.1:8080 --backend 127.0.0.1:9001 \
      --backend 127.0.0.1:9002 --health-path /healthz --admin 127.0.0.1:9901
  shibafu-ports proxy --mode tcp --listen 127.0.0.1:5433 --backend 10.89.0.2:5432
  shibafu-ports proxy --config proxy.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.toConfig()
			if err != nil {
				return err
			}
			return runProxy(cmd.Context(), cfg, f.accessLog)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "",
		"JSON configuration file (the other flags then only add --admin)")
	fl.StringVar(&f.listen, "listen", "", "listen address HOST:PORT")
	fl.StringArrayVar(&f.backends, "backend", nil, "backend HOST:PORT (repeat for several)")
	fl.StringVar(&f.mode, "mode", "http", "http or tcp")
	fl.StringVar(&f.balance, "balance", string(proxy.RoundRobin), "round-robin or least-conn")
	fl.StringVar(&f.healthPath, "health-path", "", "HTTP path to check (default: a TCP connect)")
	fl.DurationVar(&f.healthInterval, "health-interval", 0,
		"check every backend this often (0: no checks)")
	fl.StringVar(&f.admin, "admin", "", "admin API listen address HOST:PORT")
	fl.BoolVar(&f.accessLog, "access-log", true, "log every HTTP request")
	return cmd
}

// toConfig reads the config file, or builds a configuration from flags.
func (f *proxyFlags) toConfig() (proxy.Config, error) {
	if f.config != "" {
		data, err := os.ReadFile(f.config)
		if err != nil {
			return proxy.Config{}, err
		}
		cfg, err := proxy.Parse(data)
		if err != nil {
			return proxy.Config{}, fmt.Errorf("%s: %w", f.config, err)
		}
		if f.admin != "" {
			cfg.Admin = f.admin
		}
		return cfg, nil
	}
	pool := proxy.PoolConfig{Name: "default", Balance: proxy.Balance(f.balance),
		Backends: f.backends}
	if f.healthInterval > 0 || f.healthPath != "" {
		pool.Health = &proxy.HealthCheck{Path: f.healthPath,
			Interval: proxy.Duration(f.healthInterval)}
	}
	cfg := proxy.Config{
		Admin: f.admin,
		Pools: []proxy.PoolConfig{pool},
		Frontends: []proxy.FrontendConfig{{Name: "default", Listen: f.listen,
			Mode: proxy.Mode(f.mode), Pool: "default"}},
	}
	if f.listen == "" {
		return cfg, fmt.Errorf("--listen or --config is required")
	}
	return cfg, cfg.Validate()
}

// runProxy serves cfg until a signal, logging to stderr.
func runProxy(ctx context.Context, cfg proxy.Config, accessLog bool) error {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	srv := &proxy.Server{Config: cfg}
	if accessLog {
		srv.AccessLog = func(a proxy.Access) { logAccess(log, a) }
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Start(ctx); err != nil {
		return err
	}
	for _, f := range cfg.Frontends {
		log.Info("frontend listening", "frontend", f.Name, "mode", string(f.Mode),
			"addr", srv.Addr(f.Name).String())
	}
	if a := srv.AdminAddr(); a != nil {
		log.Info("admin api listening", "addr", a.String())
	}

	<-ctx.Done()
	log.Info("shutting down", "grace", "10s")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// logAccess writes one structured access log line.
func logAccess(log *slog.Logger, a proxy.Access) {
	attrs := []slog.Attr{
		slog.String("frontend", a.Frontend), slog.String("remote", a.Remote),
		slog.String("method", a.Method), slog.String("host", a.Host),
		slog.String("path", a.Path), slog.Int("status", a.Status),
		slog.Int64("bytes", a.Bytes), slog.Duration("duration", a.Duration),
		slog.String("pool", a.Pool), slog.String("backend", a.Backend),
	}
	if a.Err != nil {
		attrs = append(attrs, slog.String("error", a.Err.Error()))
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "access", attrs...)
}
