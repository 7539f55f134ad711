package dashboard

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandlerServesTheFiles fetches the page and its assets, and checks
// their content types and the headers that keep the page to its own
// server.
func TestHandlerServesTheFiles(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()

	for _, tc := range []struct{ path, contentType, contains string }{
		{"/", "text/html", `<template id="view-signin">`},
		{"/style.css", "text/css", "prefers-color-scheme"},
		{"/js/main.js", "text/javascript", "function route()"},
		{"/favicon.svg", "image/svg+xml", "<svg"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("Content-Type"), tc.contentType)
			assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
			assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
			assert.Contains(t, string(body), tc.contains)
		})
	}

	resp, err := http.Get(srv.URL + "/no-such-file.js")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestNothingComesFromTheInternet holds every embedded file to the rule
// that the dashboard loads nothing from another server: no URL in them
// but the SVG namespace, which names a format and is never fetched.
func TestNothingComesFromTheInternet(t *testing.T) {
	url := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := static.ReadFile(path)
		if err != nil {
			return err
		}
		for _, u := range url.FindAllString(string(data), -1) {
			if !strings.HasSuffix(u, "//www.w3.org") {
				t.Errorf("%s refers to %s: embed what it needs instead", path, u)
			}
		}
		return nil
	})
	require.NoError(t, err)
}

// TestModulesImportOnlyEmbeddedFiles checks that every import of a JS
// module and every file index.html names is among the embedded files,
// so that a renamed file cannot break the page unnoticed.
func TestModulesImportOnlyEmbeddedFiles(t *testing.T) {
	ref := regexp.MustCompile(`(?:from|src=|href=)\s*"(\.?/?[a-z][a-z0-9/.-]*\.(?:js|css|svg))"`)
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := static.ReadFile(path)
		if err != nil {
			return err
		}
		dir := path[:strings.LastIndex(path, "/")]
		for _, m := range ref.FindAllStringSubmatch(string(data), -1) {
			target := dir + "/" + strings.TrimPrefix(m[1], "./")
			_, err := fs.Stat(static, target)
			assert.NoError(t, err, "%s refers to %s", path, m[1])
		}
		return nil
	})
	require.NoError(t, err)
}
