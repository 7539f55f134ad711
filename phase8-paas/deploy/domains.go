package deploy

import (
	"context"
	"fmt"
	"slices"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/store"
)

// AddDomain routes a further host name to an app. A name is served by
// one app only.
func (e *Engine) AddDomain(ctx context.Context, app, domain string) (*api.App, error) {
	if err := api.ValidateDomain(domain); err != nil {
		return nil, err
	}
	apps, err := e.Store.Apps()
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		if slices.Contains(a.Domains, domain) || e.Router.Host(a.Name) == domain {
			return nil, api.WithCategory(api.ErrConflict,
				fmt.Errorf("domain %s is already served by app %s", domain, a.Name))
		}
	}
	a, err := e.Store.UpdateApp(app, func(a *store.App) error {
		a.Domains = append(a.Domains, domain)
		slices.Sort(a.Domains)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := e.Router.SetApp(app, a.Domains); err != nil {
		return nil, err
	}
	return e.view(ctx, a, false)
}

// RemoveDomain stops routing a host name to an app.
func (e *Engine) RemoveDomain(ctx context.Context, app, domain string) (*api.App, error) {
	a, err := e.Store.UpdateApp(app, func(a *store.App) error {
		i := slices.Index(a.Domains, domain)
		if i < 0 {
			return api.WithCategory(api.ErrNotFound,
				fmt.Errorf("app %s has no domain %s", app, domain))
		}
		a.Domains = slices.Delete(a.Domains, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := e.Router.SetApp(app, a.Domains); err != nil {
		return nil, err
	}
	return e.view(ctx, a, false)
}

// Config returns the newest version of an app's config, secrets sealed.
func (e *Engine) Config(app string) (store.Config, error) {
	a, err := e.Store.App(app)
	if err != nil {
		return store.Config{}, err
	}
	return e.Store.Config(app, a.ConfigVersion)
}

// RevealSecrets returns an app's secrets in clear, name to value.
func (e *Engine) RevealSecrets(app string) (map[string]string, error) {
	cfg, err := e.Config(app)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for name, sealed := range cfg.Secrets {
		plain, err := e.Secrets.Open(sealed, secretContext(app, name))
		if err != nil {
			return nil, fmt.Errorf("secret %s of %s: %w", name, app, err)
		}
		values[name] = string(plain)
	}
	return values, nil
}
