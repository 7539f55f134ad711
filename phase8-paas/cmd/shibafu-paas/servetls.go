package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	legolog "github.com/go-acme/lego/v5/log"

	"shibafu.dev/phase8-paas/certs"
	"shibafu.dev/phase8-paas/router"
)

// tlsOptions are the flags of `serve` about HTTPS and ACME.
type tlsOptions struct {
	addr        string
	directory   string
	email       string
	caRoots     string
	challenge   string
	renewBefore time.Duration
	lifetime    time.Duration
	retry       time.Duration
}

func addTLSFlags(f *pflag.FlagSet, o *tlsOptions) {
	f.StringVar(&o.addr, "router-tls", ":443", "address of the router's HTTPS listener"+
		` ("" for none)`)
	f.StringVar(&o.directory, "acme-directory", "", "ACME CA to get certificates for custom"+
		` domains from: "letsencrypt", "letsencrypt-staging" or a directory URL`+
		" (default: none, only the self-signed certificate for *.DOMAIN)")
	f.StringVar(&o.email, "acme-email", "", "contact address of the ACME account")
	f.StringVar(&o.caRoots, "acme-ca-roots", "", "PEM file of roots to trust for the ACME"+
		" CA's API (default: the system's), such as Pebble's test CA")
	f.StringVar(&o.challenge, "acme-challenge", certs.HTTP01, "challenge type to answer: "+
		certs.HTTP01+" (on the router's HTTP port) or "+certs.TLSALPN01+" (on its HTTPS port)")
	f.DurationVar(&o.renewBefore, "acme-renew-before", certs.DefaultRenewBefore,
		"renew certificates this long before they expire (at most a third of their life)")
	f.DurationVar(&o.lifetime, "acme-cert-lifetime", 0, "ask the CA for certificates valid"+
		" this long (for tests of renewal; Let's Encrypt refuses it)")
	f.DurationVar(&o.retry, "acme-retry", certs.DefaultRetry, "wait after a failed order,"+
		" doubled after each further failure")
	f.MarkHidden("acme-cert-lifetime")
	f.MarkHidden("acme-retry")
}

// startTLS sets the router up for HTTPS, if --router-tls is set: a
// certificate manager (package certs) keeps certificates under
// ROOT/certs, chooses them by SNI and answers ACME challenges, and
// learns from the router which custom domains to get certificates for.
// It returns nil, nil if HTTPS is off.
func startTLS(ctx context.Context, o serveOptions, rtr *router.Router, log *slog.Logger) (
	*certs.Manager, error) {
	t := o.tls
	if t.addr == "" {
		if t.directory != "" {
			return nil, fmt.Errorf("--acme-directory needs --router-tls")
		}
		return nil, nil
	}
	m := &certs.Manager{Dir: filepath.Join(o.root, "certs"), Domain: o.domain,
		DirectoryURL: certs.DirectoryURL(t.directory), Email: t.email,
		Challenge: t.challenge, RenewBefore: t.renewBefore, Lifetime: t.lifetime,
		Retry: t.retry, Logger: log}
	if t.caRoots != "" {
		data, err := os.ReadFile(t.caRoots)
		if err != nil {
			return nil, fmt.Errorf("--acme-ca-roots: %w", err)
		}
		m.CARoots = x509.NewCertPool()
		if !m.CARoots.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("--acme-ca-roots %s: no PEM certificate", t.caRoots)
		}
	}
	// lego logs each step of an order; keep only its warnings.
	legolog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr,
		&slog.HandlerOptions{Level: slog.LevelWarn})).With("from", "lego"))
	if err := m.Start(ctx); err != nil {
		return nil, err
	}
	rtr.TLSAddr, rtr.TLS = t.addr, m.TLSConfig()
	rtr.Challenges, rtr.Names = m, m.SetNames
	return m, nil
}
