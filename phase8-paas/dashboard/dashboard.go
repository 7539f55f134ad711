package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
)

// static holds the dashboard's files; static/index.html is the page.
//
//go:embed static
var static embed.FS

// contentSecurityPolicy lets the page load scripts, styles and images
// only from the server itself, and talk only to it: no CDN, no inline
// script. A page that handles an API token should not run code from
// anywhere else.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// Handler serves the dashboard's files: / is the page, and the paths
// under it its styles and scripts. The page finds its way between views
// with the URL's fragment (#/apps/NAME), so no other path is needed.
func Handler() http.Handler {
	files, err := fs.Sub(static, "static")
	if err != nil {
		// The directory is embedded at build time: it is always there.
		panic(err)
	}
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The files change with the binary; have the browser ask again
		// each time (a cheap If-Modified-Since check) rather than run an
		// old script against a new API.
		h.Set("Cache-Control", "no-cache")
		fileServer.ServeHTTP(w, r)
	})
}
