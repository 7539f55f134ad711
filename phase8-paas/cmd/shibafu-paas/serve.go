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
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase5-registry/registry"
	"shibafu.dev/phase5-registry/storage"
	rtapi "shibafu.dev/phase7-runtime/api"
	rtclient "shibafu.dev/phase7-runtime/client"

	"shibafu.dev/phase8-paas/build"
	"shibafu.dev/phase8-paas/deploy"
	"shibafu.dev/phase8-paas/router"
	"shibafu.dev/phase8-paas/secrets"
	"shibafu.dev/phase8-paas/server"
	"shibafu.dev/phase8-paas/store"
)

// defaultRoot is the PaaS's state root, beside the runtime's.
const defaultRoot = "/var/lib/shibafu/paas"

// serveOptions are the flags of `serve`.
type serveOptions struct {
	root          string
	listen        string
	routerAddr    string
	domain        string
	runtime       string
	network       string
	subnet        string
	registry      string
	registryAddr  string
	memory        string
	buildMemory   string
	buildCPUs     float64
	maxUpload     string
	stopTimeout   time.Duration
	keepReleases  int
	drainTimeout  time.Duration
	noGit         bool
	goCache       string
	goModules     bool
	shutdownGrace time.Duration
	tls           tlsOptions     // servetls.go
	obs           observeOptions // serveobserve.go
}

func newServeCmd() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the PaaS: its API, router, git endpoint and registry",
		Long: `serve runs the PaaS on top of a running shibafud (phase 7), as root:

  - the REST API (default 127.0.0.1:7080), which every other command uses;
  - the router (the phase 4 proxy), serving each app at APP.shibafu.localhost;
  - a git endpoint at /git/APP.git, where a push builds and deploys;
  - a registry (phase 5) for the images it builds, unless --registry names one.

It keeps its state under --root. It stops on SIGINT or SIGTERM; the apps'
replicas keep running, and the next serve routes to them again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.root, "root", defaultRoot, "state root directory")
	f.StringVar(&o.listen, "listen", "127.0.0.1:7080", "address of the API")
	f.StringVar(&o.routerAddr, "router", ":80", "address of the router, where apps answer")
	f.StringVar(&o.domain, "domain", router.DefaultDomain, "apps answer at APP.DOMAIN")
	f.StringVar(&o.runtime, "runtime", rtclient.DefaultSocket, "shibafud's API socket")
	f.StringVar(&o.network, "network", "paas", "runtime network the apps' replicas join")
	f.StringVar(&o.subnet, "subnet", "10.90.0.0/16", "subnet of that network, if it is made")
	f.StringVar(&o.registry, "registry", "", "HOST:PORT of a registry to push images to"+
		" (default: serve one at --registry-addr)")
	f.StringVar(&o.registryAddr, "registry-addr", "127.0.0.1:5000",
		"where to serve the embedded registry")
	f.StringVar(&o.memory, "memory", deploy.DefaultMemory, "memory limit of each replica")
	f.StringVar(&o.buildMemory, "build-memory", "1g", "memory limit of a build's containers")
	f.Float64Var(&o.buildCPUs, "build-cpus", 1, "CPU limit of a build's containers")
	f.StringVar(&o.maxUpload, "max-upload", "200m", "largest source tree accepted, unpacked")
	f.DurationVar(&o.stopTimeout, "stop-timeout", deploy.DefaultStopTimeout,
		"grace period of a replica asked to stop")
	f.DurationVar(&o.drainTimeout, "drain-timeout", deploy.DefaultDrainTimeout,
		"how long requests to a retired replica may go on")
	f.IntVar(&o.keepReleases, "keep-releases", deploy.DefaultKeepReleases,
		"images of the last N releases kept in the runtime")
	f.BoolVar(&o.noGit, "no-git", false, "do not serve the git endpoint")
	f.StringVar(&o.goCache, "go-cache", "", "host directory every app's Go builds share as"+
		" their cache (default: a volume per app)")
	f.BoolVar(&o.goModules, "go-modules", false, "let Go builds take modules from this"+
		" host's module cache, read-only (every app can read every module cached here)")
	f.DurationVar(&o.shutdownGrace, "shutdown-grace", 10*time.Second,
		"how long requests under way may go on at shutdown")
	addTLSFlags(f, &o.tls)
	addObserveFlags(f, &o.obs)
	return cmd
}

// serve runs the PaaS until ctx ends.
func serve(ctx context.Context, o serveOptions) error {
	if os.Geteuid() != 0 {
		return errors.New("permission denied: shibafu-paas serve must run as root")
	}
	maxUpload, err := bundle.ParseSize(o.maxUpload)
	if err != nil || maxUpload <= 0 {
		return fmt.Errorf("--max-upload %q: want a size such as 200m", o.maxUpload)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := os.MkdirAll(o.root, 0o700); err != nil {
		return err
	}
	st, err := store.Open(filepath.Join(o.root, "paas.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	box, err := secrets.LoadOrCreate(filepath.Join(o.root, "secret.key"))
	if err != nil {
		return err
	}

	rt := &rtclient.Client{Socket: o.runtime}
	if _, err := rt.Info(ctx); err != nil {
		return fmt.Errorf("the runtime: %w", err)
	}
	if err := prepareRuntime(ctx, rt, o); err != nil {
		return err
	}

	registryHost := o.registry
	var servers []*http.Server
	if registryHost == "" {
		rs, host, err := serveRegistry(o.root, o.registryAddr, log)
		if err != nil {
			return err
		}
		servers, registryHost = append(servers, rs), host
	}

	obs, err := newObservability(o, log)
	if err != nil {
		return err
	}
	rtr := &router.Router{Addr: o.routerAddr, Domain: o.domain, AccessLog: obs.access}
	certMgr, err := startTLS(ctx, o, rtr, log)
	if err != nil {
		return err
	}
	if err := rtr.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), o.shutdownGrace)
		defer cancel()
		rtr.Shutdown(sctx)
	}()

	eng := &deploy.Engine{
		Store: st, Runtime: rt, Router: rtr, Secrets: box,
		Builder: &build.Builder{Runtime: rt, Memory: o.buildMemory, CPUs: o.buildCPUs,
			Network: o.network, GoCache: o.goCache, GoModules: o.goModules},
		Registry: registryHost, Network: o.network,
		WorkDir: filepath.Join(o.root, "work"), Memory: o.memory,
		StopTimeout: o.stopTimeout, DrainTimeout: o.drainTimeout,
		KeepReleases: o.keepReleases, Logger: log,
	}
	if certMgr != nil {
		eng.Certs = certMgr
	}
	obs.wire(eng, o.obs.cpus)
	if err := eng.Recover(ctx); err != nil {
		log.Error("recovering the apps", "err", err)
	}
	obs.start(ctx, eng, rt)
	if err := eng.RecoverTLS(); err != nil {
		log.Error("recovering the apps", "err", err)
	}

	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("API: %w", err)
	}
	apiURL := "http://" + ln.Addr().String()
	srv := &server.Server{Engine: eng, Tokens: tokenStore(o.root), MaxUpload: maxUpload,
		Logger: log}
	if !o.noGit {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		if srv.Git, err = server.NewGit(filepath.Join(o.root, "git"), exe, apiURL); err != nil {
			return err
		}
		srv.Git.MaxSource = maxUpload
		if err := srv.InitRepos(); err != nil {
			return err
		}
	}
	srv.Observe = obs.api()
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(obs.close)
	servers = append(servers, hs)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("shibafu-paas is serving", "api", apiURL, "router", rtr.Listening().String(),
		"router_tls", o.tls.addr, "registry", registryHost, "root", o.root)

	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownGrace)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(sctx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// prepareRuntime makes the apps' network, and the base image of builds
// without a Dockerfile, if the runtime has not got them yet.
func prepareRuntime(ctx context.Context, rt *rtclient.Client, o serveOptions) error {
	if _, err := rt.InspectNetwork(ctx, o.network); errors.Is(err, rtapi.ErrNotFound) {
		if _, err := rt.CreateNetwork(ctx, o.network, o.subnet); err != nil {
			return fmt.Errorf("make the apps' network: %w", err)
		}
	} else if err != nil {
		return err
	}
	imgs, err := rt.Images(ctx)
	if err != nil {
		return err
	}
	for _, img := range imgs {
		if img.Ref == build.BaseImage {
			return nil
		}
	}
	if _, err := rt.BuildBase(ctx, build.BaseImage); err != nil {
		return fmt.Errorf("make the base image %s: %w", build.BaseImage, err)
	}
	return nil
}

// serveRegistry serves a phase 5 registry, stored under the state root,
// at addr, and returns its server and HOST:PORT.
func serveRegistry(root, addr string, log *slog.Logger) (*http.Server, string, error) {
	rs, err := storage.Open(filepath.Join(root, "registry"), storage.Options{})
	if err != nil {
		return nil, "", fmt.Errorf("registry: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("registry: %w (another registry there? give --registry"+
			" HOST:PORT to use it)", err)
	}
	hs := &http.Server{Handler: &registry.Server{Store: rs}, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return hs, ln.Addr().String(), nil
}
