// Package dashboard is the PaaS's web dashboard: a few static files
// (HTML, CSS and JavaScript modules) built into the binary with an
// embed directive, and served at / by `shibafu-paas serve`.
//
// The page holds no secret and needs none to load: it asks for an API
// token, keeps it in the browser's sessionStorage, and sends it as
// "Authorization: Bearer TOKEN" on every call to the same REST API the
// CLI uses (package server). Everything it shows comes from that API;
// the server side of the dashboard is only a file server.
//
// Nothing is fetched from the internet and there is no build step: the
// browser loads the modules under static/js as they are written.
package dashboard
