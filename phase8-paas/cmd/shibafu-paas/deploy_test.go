package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/api"
)

// TestDeployFromSource deploys the Go web app, the static site and the
// Dockerfile app from source, and reaches each through the router.
func TestDeployFromSource(t *testing.T) {
	l := newLab(t)
	for _, tc := range []struct{ app, example, want string }{
		{"goweb", "go-web", "Hello from go-web"},
		{"site", "static-site", "Hello from static-site"},
		{"docker", "dockerfile-app", "Hello from dockerfile-app"},
	} {
		l.ok("apps", "create", tc.app)
		out := l.ok("deploy", "-a", tc.app, l.example(tc.example))
		assert.Contains(t, out, "Released v1", tc.app)
		assert.Contains(t, l.body(tc.app, "/"), tc.want, tc.app)
	}
	assert.Contains(t, l.body("goweb", "/"), "release 1",
		"the app gets its release number in SHIBAFU_RELEASE")

	// The image went through the registry and is run by digest.
	rels := l.ok("releases", "-a", "goweb", "--json")
	assert.Contains(t, rels, `"image": "127.0.0.1:`)
	assert.Contains(t, rels, "/paas/goweb@sha256:")
	assert.Contains(t, rels, `"status": "succeeded"`)

	out := l.ok("apps")
	for _, app := range []string{"goweb", "site", "docker"} {
		assert.Contains(t, out, app)
	}
	assert.Contains(t, l.ok("ps", "-a", "goweb"), "goweb-web-v1-1")

	// Apps reach each other inside the apps' network as APP and
	// APP.shibafu.internal, which name the app's web replicas.
	var site []api.Replica
	require.NoError(t, json.Unmarshal([]byte(l.ok("ps", "-a", "site", "--json")), &site))
	require.Len(t, site, 1)
	for _, name := range []string{"site", "site.shibafu.internal"} {
		assert.Contains(t, l.ok("run", "-a", "goweb", "--", "nslookup", name),
			"Address: "+site[0].IP, name)
	}

	// A one-off command runs in the release with its config.
	l.ok("config", "set", "-a", "goweb", "GREETING=hi there")
	assert.Contains(t, l.ok("run", "-a", "goweb", "--", "sh", "-c", "echo $GREETING"),
		"hi there")
	assert.Equal(t, "a\n\nb\n", l.ok("run", "-a", "goweb", "--", "sh", "-c", "echo a; echo; echo b"),
		"an empty line of output is a line too")
	_, _, err := l.sh("run", "-a", "goweb", "--", "sh", "-c", "exit 3")
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 3, exit.ExitCode(), "run passes the command's exit code through")

	l.ok("apps", "destroy", "site", "--confirm", "site")
	status, _, err := l.get("site", "/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, status, "a destroyed app is not routed")
	assert.NotContains(t, l.ok("apps"), "site")
}

// TestGitPushDeploys pushes an app with a real git client to the PaaS's
// git endpoint; the push builds and deploys, and git shows the log.
func TestGitPushDeploys(t *testing.T) {
	l := newLab(t)
	l.ok("apps", "create", "pushed")
	dir := l.example("go-web")
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_TERMINAL_PROMPT=0", "HOME="+l.root)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	git("init", "--quiet", "--initial-branch=main")
	git("add", ".")
	git("commit", "--quiet", "-m", "first")
	remote := strings.Replace(l.url, "http://", "http://git:"+l.token+"@", 1) + "/git/pushed.git"
	out := git("push", remote, "main")
	assert.Contains(t, out, "remote: -----> Released v1")
	assert.Contains(t, l.body("pushed", "/"), "Hello from go-web")

	commit := strings.TrimSpace(git("rev-parse", "HEAD"))
	assert.Contains(t, l.ok("releases", "-a", "pushed"), "Deploy of "+commit[:7])

	// A push without the token is refused.
	cmd := exec.Command("git", "push", l.url+"/git/pushed.git", "main")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "HOME="+l.root)
	out2, err := cmd.CombinedOutput()
	assert.Error(t, err, "%s", out2)
}

// TestZeroDowntimeDeploys deploys five new versions and rolls back once
// under a steady load through the router: no request fails, and the
// answers move from each release to the next.
func TestZeroDowntimeDeploys(t *testing.T) {
	l := newLab(t)
	l.ok("apps", "create", "steady")
	src := l.example("go-web")
	l.ok("deploy", "-a", "steady", src)

	ld := l.startLoad("steady", 4)
	for range 5 {
		l.ok("deploy", "-a", "steady", src)
	}
	assert.Contains(t, l.body("steady", "/"), "release 6")
	out := l.ok("rollback", "-a", "steady")
	assert.Contains(t, out, "Rolled back: v7")
	total, failures, bodies := ld.end()

	assert.Empty(t, failures, "of %d requests", total)
	assert.Greater(t, total, 50)
	for n := 1; n <= 7; n++ {
		seen := false
		for body := range bodies {
			seen = seen || strings.Contains(body, "release "+strconv.Itoa(n)+":")
		}
		assert.True(t, seen, "no answer came from release %d: %v", n, bodies)
	}
	assert.Contains(t, l.body("steady", "/"), "release 7")
	rels := l.ok("releases", "-a", "steady")
	assert.Contains(t, rels, "Rollback to v5")

	// Only the serving release's replica is left.
	ps := l.ok("ps", "-a", "steady")
	assert.Equal(t, 1, strings.Count(ps, "steady-web-"), ps)
	assert.Contains(t, ps, "steady-web-v7-1")
}

// TestFailedHealthCheckKeepsTheOldRelease deploys a release that never
// answers its health check: the deploy fails, the old release answers
// throughout, and nothing of the failed one is left running.
func TestFailedHealthCheckKeepsTheOldRelease(t *testing.T) {
	l := newLab(t)
	l.ok("apps", "create", "careful", "--health-path", "/healthz",
		"--health-interval", "200ms", "--health-retries", "10")
	src := l.example("go-web")
	l.ok("deploy", "-a", "careful", src)

	// The new version's web process listens on another port than $PORT,
	// so it never answers.
	procfile := filepath.Join(src, "Procfile")
	require.NoError(t, os.WriteFile(procfile, []byte("web: PORT=9999 /app/server\n"), 0o644))
	ld := l.startLoad("careful", 2)
	stderr := l.fail("deploy", "-a", "careful", src)
	total, failures, _ := ld.end()

	assert.Contains(t, stderr, "health check")
	assert.Empty(t, failures, "of %d requests", total)
	assert.Contains(t, l.body("careful", "/"), "release 1")
	rels := l.ok("releases", "-a", "careful")
	assert.Regexp(t, `v2\s+failed: health check failed`, rels)
	ps := l.ok("ps", "-a", "careful")
	assert.NotContains(t, ps, "careful-web-v2", "a replica of the failed release is left")
	assert.Contains(t, ps, "careful-web-v1-1")
}

// TestOldImagesAreCollected keeps one release: after a second deploy of
// changed source, the first release's image tag and the build-cache
// entries only its build used are gone from the runtime.
func TestOldImagesAreCollected(t *testing.T) {
	l := newLab(t, "--keep-releases", "1")
	l.ok("apps", "create", "gc")
	src := l.example("static-site")
	l.ok("deploy", "-a", "gc", src)
	first := l.imageRefs()
	require.NoError(t, os.WriteFile(filepath.Join(src, "index.html"),
		[]byte("<h1>second</h1>\n"), 0o644))
	l.ok("deploy", "-a", "gc", src)
	assert.Contains(t, l.body("gc", "/"), "second")
	second := l.imageRefs()

	var gone []string
	for _, ref := range first {
		if !slices.Contains(second, ref) {
			gone = append(gone, ref)
		}
	}
	assert.NotEmpty(t, gone, "nothing of the first deploy was collected: %v", second)
	for _, ref := range gone {
		assert.True(t, strings.Contains(ref, "/paas/gc:v1") ||
			strings.HasPrefix(ref, "build-cache/gc:"), "an unexpected image went: %s", ref)
	}
	assert.True(t, slices.ContainsFunc(second, func(r string) bool {
		return strings.HasSuffix(r, "/paas/gc:v2")
	}), "the serving release's image must stay: %v", second)
}

// imageRefs lists the names of the runtime's images.
func (l *lab) imageRefs() []string {
	l.t.Helper()
	imgs, err := l.rt.Client.Images(context.Background())
	require.NoError(l.t, err)
	var refs []string
	for _, img := range imgs {
		refs = append(refs, img.Ref)
	}
	return refs
}

// TestFailedBuildKeepsTheOldRelease deploys source whose build fails: the
// deploy reports the failing step, the release is recorded as failed,
// and the old release answers on.
func TestFailedBuildKeepsTheOldRelease(t *testing.T) {
	l := newLab(t)
	l.ok("apps", "create", "sturdy")
	l.ok("deploy", "-a", "sturdy", l.example("static-site"))

	broken := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(broken, "Dockerfile"),
		[]byte("FROM busybox\nRUN echo compiling; exit 3\n"), 0o644))
	stderr := l.fail("deploy", "-a", "sturdy", broken)
	assert.Contains(t, stderr, "step 2/2")
	assert.Contains(t, stderr, "exit 3")
	assert.Regexp(t, `v2\s+failed: build`, l.ok("releases", "-a", "sturdy"))
	assert.Contains(t, l.body("sturdy", "/"), "Hello from static-site")
	assert.Contains(t, l.ok("ps", "-a", "sturdy"), "sturdy-web-v1-1")
}
