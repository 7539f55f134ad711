package deploy

import (
	"context"
	"errors"
	"fmt"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/router"
	"shibafu.dev/phase8-paas/store"
)

// Certs is what the engine asks of a certificate manager (package
// certs), which learns the names to serve from the router.
type Certs interface {
	// Status describes the certificate of a custom domain.
	Status(name string) api.Domain
}

// Domains describes every host name of an app with its certificate:
// its default host (under the self-signed certificate for *.DOMAIN),
// then its custom domains.
func (e *Engine) Domains(ctx context.Context, app string) ([]api.Domain, error) {
	a, err := e.Store.App(app)
	if err != nil {
		return nil, err
	}
	status := api.CertNone
	if e.Certs != nil {
		status = api.CertSelfSigned
	}
	ds := []api.Domain{{Name: e.Router.Host(app), Default: true, Status: status}}
	for _, name := range a.Domains {
		d := api.Domain{Name: name, Status: api.CertNone}
		if e.Certs != nil {
			d = e.Certs.Status(name)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// SetTLS changes an app's HTTPS options: redirecting HTTP to HTTPS, and
// HSTS. Both need the router's HTTPS listener.
func (e *Engine) SetTLS(ctx context.Context, app string, s api.TLSSettings) (*api.App, error) {
	if (s.Redirect || s.HSTS) && e.Router.ListeningTLS() == nil {
		return nil, api.WithCategory(api.ErrInvalid,
			errors.New("HTTPS is off: serve with --router-tls to redirect or send HSTS"))
	}
	a, err := e.Store.UpdateApp(app, func(a *store.App) error {
		a.TLS = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := e.Router.SetTLSOptions(app, tlsOptions(s)); err != nil {
		return nil, err
	}
	e.logger().Info("set HTTPS options", "app", app, "redirect", s.Redirect, "hsts", s.HSTS)
	return e.view(ctx, a, false)
}

// RecoverTLS gives the router every app's HTTPS options again after a
// start of the PaaS. Call it once, after Recover.
func (e *Engine) RecoverTLS() error {
	apps, err := e.Store.Apps()
	if err != nil {
		return err
	}
	var errs []error
	for _, a := range apps {
		if a.TLS == (api.TLSSettings{}) {
			continue
		}
		if err := e.Router.SetTLSOptions(a.Name, tlsOptions(a.TLS)); err != nil {
			errs = append(errs, fmt.Errorf("recover HTTPS options of %s: %w", a.Name, err))
		}
	}
	return errors.Join(errs...)
}

func tlsOptions(s api.TLSSettings) router.TLSOptions {
	return router.TLSOptions{Redirect: s.Redirect, HSTS: s.HSTS}
}
