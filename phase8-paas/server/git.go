package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"shibafu.dev/phase8-paas/api"
	"shibafu.dev/phase8-paas/source"
)

// Git serves one bare repository per app at /git/APP.git over git's
// "smart HTTP" protocol, by running git's own `git http-backend` as a
// CGI program: the PaaS does not speak the protocol itself. A push runs
// the repository's post-receive hook, `shibafu-paas git-hook APP`, which
// asks the API to build and deploy the pushed commit and prints the
// build log, which git shows the pusher line by line as "remote: ...".
type Git struct {
	// Dir holds the repositories, APP.git each.
	Dir string
	// Hook is the shibafu-paas binary the hook runs; APIURL is where it
	// reaches the API.
	Hook   string
	APIURL string
	// MaxSource bounds a commit's source tree, unpacked.
	MaxSource int64

	backend   string
	hookToken string
}

// NewGit prepares the git endpoint: it finds git http-backend and makes
// the token the hooks authenticate with, which lives only in this
// process and the hooks it runs.
func NewGit(dir, hook, apiURL string) (*Git, error) {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return nil, fmt.Errorf("git: %w (is git installed?)", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		return nil, fmt.Errorf("git: %w", err)
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &Git{Dir: dir, Hook: hook, APIURL: apiURL, backend: backend,
		hookToken: "hook_" + hex.EncodeToString(secret)}, nil
}

// repo returns the path of an app's repository.
func (g *Git) repo(app string) string { return filepath.Join(g.Dir, app+".git") }

// Init makes an app's bare repository, accepting pushes over HTTP, with
// its post-receive hook.
func (g *Git) Init(app string) error {
	dir := g.repo(app)
	for _, args := range [][]string{
		{"init", "--bare", "--quiet", "--initial-branch=main", dir},
		{"--git-dir", dir, "config", "http.receivepack", "true"},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %w: %s", args[0], err, out)
		}
	}
	hook := fmt.Sprintf("#!/bin/sh\n# Build and deploy what was pushed: see `%s git-hook --help`.\n"+
		"exec %s git-hook %s\n", filepath.Base(g.Hook), shellQuote(g.Hook), app)
	return os.WriteFile(filepath.Join(dir, "hooks", "post-receive"), []byte(hook), 0o755)
}

// Remove deletes an app's repository.
func (g *Git) Remove(app string) error { return os.RemoveAll(g.repo(app)) }

// repoPath matches the paths git asks for: /git/APP.git/...
var repoPath = regexp.MustCompile(`^/git/([a-z][a-z0-9-]*)\.git(/.*)?$`)

// ServeHTTP runs git http-backend for a request to an app's repository.
func (g *Git) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := repoPath.FindStringSubmatch(r.URL.Path)
	if m == nil || api.ValidateAppName(m[1]) != nil {
		http.Error(w, "no such repository: want /git/APP.git", http.StatusNotFound)
		return
	}
	if _, err := os.Stat(g.repo(m[1])); err != nil {
		http.Error(w, fmt.Sprintf("app %s has no repository", m[1]), http.StatusNotFound)
		return
	}
	h := &cgi.Handler{
		Path: g.backend,
		Root: "/git",
		Env: []string{
			"GIT_PROJECT_ROOT=" + g.Dir,
			"GIT_HTTP_EXPORT_ALL=1",
			"REMOTE_USER=" + user(r),
			// What the post-receive hook needs to call the API.
			"SHIBAFU_PAAS_URL=" + g.APIURL,
			"SHIBAFU_PAAS_HOOK_TOKEN=" + g.hookToken,
			"SHIBAFU_PAAS_PUSHER=" + user(r),
		},
	}
	h.ServeHTTP(w, r)
}

// commitID is a full commit ID, as the hook reports it.
var commitID = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Checkout writes the tree of a commit of an app's repository to dir.
func (g *Git) Checkout(ctx context.Context, app, commit, dir string) error {
	if !commitID.MatchString(commit) {
		return api.WithCategory(api.ErrInvalid,
			fmt.Errorf("commit %q: want a full 40-digit commit ID", commit))
	}
	cmd := exec.CommandContext(ctx, "git", "--git-dir", g.repo(app), "archive",
		"--format=tar.gz", commit)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	unpackErr := source.Unpack(out, dir, g.MaxSource)
	if err := cmd.Wait(); err != nil {
		return api.WithCategory(api.ErrNotFound, fmt.Errorf("git archive %s of %s: %w: %s",
			commit, app, err, strings.TrimSpace(stderr.String())))
	}
	return unpackErr
}

// isHookToken tells the token of the hooks from API tokens.
func (g *Git) isHookToken(token string) bool {
	return g != nil && token != "" && token == g.hookToken
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// InitRepos makes the repository of every app that has none, such as
// the apps made while git was not served.
func (s *Server) InitRepos() error {
	apps, err := s.Engine.Store.Apps()
	if err != nil {
		return err
	}
	for _, a := range apps {
		if _, err := os.Stat(s.Git.repo(a.Name)); err == nil {
			continue
		}
		if err := s.Git.Init(a.Name); err != nil {
			return err
		}
	}
	return nil
}
