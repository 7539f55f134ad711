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

	"shibafu.dev/phase5-registry/registry"
	"shibafu.dev/phase5-registry/storage"
)

type serveFlags struct {
	addr, addrFile       string
	tlsCert, tlsKey      string
	users                string
	maxManifest, maxBlob int64
	noSync, quiet        bool
	gcEvery, gcGrace     time.Duration
}

func newServeCmd(g *globals) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the OCI distribution API from ROOT/registry",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return serve(cmd.Context(), g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:5000", "address to listen on")
	fl.StringVar(&f.addrFile, "addr-file", "", "write the address listened on to this file")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "and this private key (PEM)")
	fl.StringVar(&f.users, "users", "", "require basic auth: file of name:bcrypt-hash[:rw]")
	fl.Int64Var(&f.maxManifest, "max-manifest-size", 4<<20, "largest manifest accepted, bytes")
	fl.Int64Var(&f.maxBlob, "max-blob-size", 0, "largest blob accepted, bytes (0: no limit)")
	fl.BoolVar(&f.noSync, "no-sync", false,
		"skip fsync before content becomes visible (safe on a crash, not on a power cut)")
	fl.BoolVar(&f.quiet, "quiet", false, "no access log")
	fl.DurationVar(&f.gcEvery, "gc-interval", 0, "collect garbage this often (0: never)")
	fl.DurationVar(&f.gcGrace, "gc-grace", time.Hour,
		"spare blobs and uploads younger than this when collecting while serving")
	return cmd
}

func serve(ctx context.Context, g *globals, f *serveFlags) error {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	st, err := g.registryStore(storage.Options{NoSync: f.noSync})
	if err != nil {
		return err
	}
	srv := &registry.Server{Store: st, Logger: logger,
		MaxManifestSize: f.maxManifest, MaxBlobSize: f.maxBlob}
	if f.quiet {
		srv.Logger = nil
	}
	if f.users != "" {
		if srv.Auth, err = registry.LoadUsers(f.users); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	if f.addrFile != "" {
		if err := os.WriteFile(f.addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f.gcEvery > 0 {
		go collectEvery(ctx, logger, st, f.gcEvery, f.gcGrace)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	logger.Info("serving", "addr", ln.Addr().String(), "root", st.Root(),
		"tls", f.tlsCert != "", "auth", f.users != "")
	if f.tlsCert != "" {
		err = hs.ServeTLS(ln, f.tlsCert, f.tlsKey)
	} else {
		err = hs.Serve(ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("serve: %w", err)
}

// collectEvery runs garbage collection beside the server.
func collectEvery(ctx context.Context, logger *slog.Logger, st *storage.Store,
	every, grace time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		report, err := st.GC(ctx, storage.GCOptions{Grace: grace})
		if err != nil {
			logger.Error("gc failed", "error", err.Error())
			continue
		}
		logger.Info("gc", "kept", report.Kept, "removed", len(report.Removed),
			"uploads", report.Uploads)
	}
}
