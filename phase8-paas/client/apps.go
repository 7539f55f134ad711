package client

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"shibafu.dev/phase8-paas/api"
)

// CreateApp makes an app.
func (c *Client) CreateApp(ctx context.Context, req api.CreateAppRequest) (*api.App, error) {
	var app api.App
	return &app, c.call(ctx, http.MethodPost, "/v1/apps", req, &app)
}

// Apps lists the apps.
func (c *Client) Apps(ctx context.Context) ([]api.App, error) {
	var apps []api.App
	return apps, c.call(ctx, http.MethodGet, "/v1/apps", nil, &apps)
}

// App describes an app and its replicas.
func (c *Client) App(ctx context.Context, name string) (*api.App, error) {
	var app api.App
	return &app, c.call(ctx, http.MethodGet, appPath(name), nil, &app)
}

// UpdateHealth changes an app's health check.
func (c *Client) UpdateHealth(ctx context.Context, name string, h api.HealthCheck) (
	*api.App, error) {
	var app api.App
	body := map[string]api.HealthCheck{"health": h}
	return &app, c.call(ctx, http.MethodPatch, appPath(name), body, &app)
}

// DestroyApp stops and forgets an app.
func (c *Client) DestroyApp(ctx context.Context, name string) error {
	return c.call(ctx, http.MethodDelete, appPath(name), nil, nil)
}

// Replicas lists an app's running containers.
func (c *Client) Replicas(ctx context.Context, name string) ([]api.Replica, error) {
	var rs []api.Replica
	return rs, c.call(ctx, http.MethodGet, appPath(name, "/ps"), nil, &rs)
}

// Deploy uploads a gzipped tarball of source (see package source) and
// streams the build and rollout.
func (c *Client) Deploy(ctx context.Context, app string, tarball io.Reader,
	logf func(string)) (*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPost, appPath(app, "/deploy"), tarball, logf)
}

// Build builds and deploys a commit of the app's git repository.
func (c *Client) Build(ctx context.Context, app, commit string, logf func(string)) (
	*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPost, appPath(app, "/builds"),
		api.BuildRequest{Commit: commit}, logf)
}

// Releases lists an app's releases, newest first.
func (c *Client) Releases(ctx context.Context, app string) ([]api.Release, error) {
	var rels []api.Release
	return rels, c.call(ctx, http.MethodGet, appPath(app, "/releases"), nil, &rels)
}

// Release returns release n of an app.
func (c *Client) Release(ctx context.Context, app string, n int) (*api.Release, error) {
	var rel api.Release
	return &rel, c.call(ctx, http.MethodGet, appPath(app, "/releases/", strconv.Itoa(n)), nil,
		&rel)
}

// Rollback rolls back to release n, or the previous one if n is 0.
func (c *Client) Rollback(ctx context.Context, app string, n int, logf func(string)) (
	*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPost, appPath(app, "/rollback"),
		api.RollbackRequest{Release: n}, logf)
}

// Restart replaces every replica of an app with a new one.
func (c *Client) Restart(ctx context.Context, app string, logf func(string)) (
	*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPost, appPath(app, "/restart"), struct{}{}, logf)
}

// Scale sets the number of replicas of process types.
func (c *Client) Scale(ctx context.Context, app string, req api.ScaleRequest,
	logf func(string)) (*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPost, appPath(app, "/scale"), req, logf)
}

// Run runs a one-off command, streaming its output to out, and returns
// its exit code.
func (c *Client) Run(ctx context.Context, app string, cmd []string, out io.Writer) (int, error) {
	ev, err := c.stream(ctx, http.MethodPost, appPath(app, "/run"), api.RunRequest{Cmd: cmd},
		func(line string) { io.WriteString(out, line+"\n") })
	if err != nil {
		return 0, err
	}
	if ev.Exit == nil {
		return 0, io.ErrUnexpectedEOF
	}
	return *ev.Exit, nil
}

// Config returns an app's config vars.
func (c *Client) Config(ctx context.Context, app string) (map[string]string, error) {
	var vars map[string]string
	return vars, c.call(ctx, http.MethodGet, appPath(app, "/config"), nil, &vars)
}

// SetConfig sets (or, with a nil value, unsets) config vars, which
// rolls out a new release once the app has one.
func (c *Client) SetConfig(ctx context.Context, app string, change api.ConfigChange,
	logf func(string)) (*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPatch, appPath(app, "/config"), change, logf)
}

// Secrets returns the names of an app's secrets.
func (c *Client) Secrets(ctx context.Context, app string) ([]string, error) {
	var names []string
	return names, c.call(ctx, http.MethodGet, appPath(app, "/secrets"), nil, &names)
}

// RevealSecrets returns an app's secrets in clear.
func (c *Client) RevealSecrets(ctx context.Context, app string) (map[string]string, error) {
	var values map[string]string
	q := "?" + url.Values{"reveal": {"true"}}.Encode()
	return values, c.call(ctx, http.MethodGet, appPath(app, "/secrets", q), nil, &values)
}

// SetSecrets sets or unsets secrets, like SetConfig.
func (c *Client) SetSecrets(ctx context.Context, app string, change api.ConfigChange,
	logf func(string)) (*api.Release, error) {
	return c.releaseOf(ctx, http.MethodPatch, appPath(app, "/secrets"), change, logf)
}

// AddDomain routes a further host name to an app.
func (c *Client) AddDomain(ctx context.Context, app, domain string) (*api.App, error) {
	var a api.App
	return &a, c.call(ctx, http.MethodPost, appPath(app, "/domains"),
		api.DomainRequest{Name: domain}, &a)
}

// RemoveDomain stops routing a host name to an app.
func (c *Client) RemoveDomain(ctx context.Context, app, domain string) (*api.App, error) {
	var a api.App
	return &a, c.call(ctx, http.MethodDelete, appPath(app, "/domains/", url.PathEscape(domain)),
		nil, &a)
}
