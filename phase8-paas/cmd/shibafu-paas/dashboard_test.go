package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase0-runc/testkit"
)

var updateScreenshots = flag.Bool("update-screenshots", false,
	"write the dashboard's screenshots for the lesson to docs/img")

// TestDashboard drives the web dashboard in headless Chromium against a
// real PaaS with a deployed app: it signs in, finds the app, scales it,
// rolls it back, sets and unsets a config var and watches one of its
// log lines arrive, all through the page, and checks that without a
// token neither the page nor the API gives anything away.
func TestDashboard(t *testing.T) {
	chromium := testkit.RequireTool(t, "chromium")
	l := newLab(t, "--metrics-interval", "1s")
	l.ok("apps", "create", "webapp")
	src := l.example("go-web")
	l.ok("deploy", "-a", "webapp", src)
	l.ok("deploy", "-a", "webapp", src)
	b := newBrowser(t, chromium)

	// Signed out: the sign-in form, and the API refuses data.
	b.do(chromedp.Navigate(l.url + "/#/apps/webapp"))
	b.waitFor(`document.querySelector("#signin-form") !== null`, "the sign-in form")
	status := b.eval(`fetch("/v1/apps").then((r) => r.status)`)
	assert.Equal(t, float64(http.StatusUnauthorized), status, "GET /v1/apps without a token")
	assert.Equal(t, http.StatusUnauthorized, apiStatus(t, l.url+"/v1/apps", ""))
	b.screenshot("signin")

	b.do(chromedp.SendKeys(chromedp.CSS("#token"), "not-a-token"),
		chromedp.Click(chromedp.CSS(`#signin-form button[type="submit"]`)))
	b.waitFor(`document.querySelector("#signin-error").textContent.includes("refused")`,
		"a wrong token refused")

	// Signed in (with the keyboard: Enter in the field submits the form),
	// the page asked for first shows; the apps list shows the app,
	// running its release.
	b.do(chromedp.SetValue(chromedp.CSS("#token"), l.token),
		chromedp.SendKeys(chromedp.CSS("#token"), kb.Enter))
	b.waitFor(`text("#app-title").includes("webapp")`, "the app page asked for")
	b.do(chromedp.Click(chromedp.CSS(`#nav a[href="#/"]`)))
	b.waitFor(`text("#apps-table tbody").includes("webapp") &&
		text("#apps-table tbody").includes("running")`, "webapp running in the apps list")
	assert.Contains(t, b.text("#apps-table tbody"), "v2")
	b.screenshot("apps")

	// The app page, at its current release.
	b.do(chromedp.Click(chromedp.CSS(`#apps-table a[href="#/apps/webapp"]`)))
	b.waitFor(`text("[data-field=summary]").includes("Release v2")`, "the app page at v2")

	// Scale web from 1 to 2 with the + button: the change's log streams
	// into the page, and a second replica appears.
	b.do(chromedp.Click(chromedp.CSS(`button[aria-label="One more web"]`)),
		chromedp.Click(chromedp.CSS(`#scale-form button[type="submit"]`)))
	b.waitFor(`text("#change-log pre").includes("Done: v3")`, "the scale's streamed log")
	b.waitFor(`[...document.querySelectorAll("table.replicas tbody tr")]
		.filter((tr) => tr.textContent.includes("running")).length === 2`, "two running replicas")
	assert.Contains(t, b.text("#change-log pre"), "Scale web=2")
	assert.Equal(t, 2, strings.Count(l.ok("ps", "-a", "webapp"), "webapp-web-"))

	b.checkLiveLogs(l, "webapp")

	// Roll back to v1, through the confirmation dialog. Escape closes it
	// and changes nothing; the second time, confirm.
	rollback := chromedp.CSS(`button[data-rollback="1"]`)
	dialogOpen := `document.querySelector("#rollback-dialog").open`
	b.do(chromedp.Click(rollback))
	b.waitFor(dialogOpen, "the rollback dialog")
	b.do(chromedp.KeyEvent(kb.Escape))
	b.waitFor("!"+dialogOpen, "the rollback dialog closed by Escape")
	assert.Equal(t, "Scale web=2", b.text("#out-title"), "Escape started a rollback")
	b.do(chromedp.Click(rollback))
	b.waitFor(dialogOpen, "the rollback dialog")
	b.do(chromedp.Click(chromedp.CSS(`#rollback-dialog button[value="confirm"]`)))
	b.waitFor(`text("#change-log pre").includes("Done: v4")`, "the rollback's streamed log")
	b.waitFor(`text("[data-field=summary]").includes("Release v4 · Rollback to v1")`,
		"the current release is the rollback")
	assert.Contains(t, b.text("table.releases tr.current"), "v4")
	assert.Contains(t, l.body("webapp", "/"), "release 4")

	// Set a config var with the form, then unset it with its button:
	// each makes a release, rolled out with its log in the page.
	b.do(chromedp.SendKeys(chromedp.CSS("#config-name"), "GREETING"),
		chromedp.SendKeys(chromedp.CSS("#config-value"), "set from the dashboard"),
		chromedp.Click(chromedp.CSS(`#config-form button[type="submit"]`)))
	b.waitFor(`text("#change-log pre").includes("Done: v5")`, "the config change's log")
	b.waitFor(`text("[data-field=config]").includes("set from the dashboard")`,
		"the var in the config list")
	assert.Contains(t, l.body("webapp", "/"), "set from the dashboard")
	assert.Equal(t, "", b.eval(`document.querySelector("#config-name").value`),
		"the form is cleared for the next var")
	b.do(chromedp.Click(chromedp.CSS(`button[aria-label="Unset GREETING"]`)))
	b.waitFor(`text("#change-log pre").includes("Done: v6")`, "the unset's log")
	b.waitFor(`!text("[data-field=config]").includes("GREETING")`, "the var gone from the list")
	assert.NotContains(t, l.body("webapp", "/"), "set from the dashboard")

	// Some traffic over a few of the metrics' points (a second apart, by
	// --metrics-interval), so that the charts have something to draw.
	for range 30 {
		l.get("webapp", "/")
		time.Sleep(100 * time.Millisecond)
	}
	b.waitFor(`document.querySelectorAll(".chart path").length === 7`,
		"the seven lines of the four charts, from the metrics API")
	b.screenshot("app")
	b.screenshotAt("phone", 390)

	// Signing out forgets the token: the page asks for it again.
	b.do(chromedp.Click(chromedp.CSS("#sign-out")))
	b.waitFor(`document.querySelector("#signin-form") !== null`, "the sign-in form again")
	assert.Equal(t, nil, b.eval(`sessionStorage.getItem("shibafu.token")`))
}

// checkLiveLogs makes a request to the app through the router and waits
// for go-web's log line of it ("GET /PATH 404 ...") in the page's logs.
// A server without the logs endpoint skips this check, saying so.
func (b *browser) checkLiveLogs(l *lab, app string) {
	b.t.Helper()
	resp, err := apiGet(l.url+"/v1/apps/"+app+"/logs?tail=1", l.token)
	require.NoError(b.t, err)
	if resp.status == http.StatusNotFound && strings.Contains(resp.body, "no route") {
		b.t.Log("SKIPPED live logs: this server has no GET /v1/apps/{app}/logs yet")
		return
	}
	b.waitFor(`text("[data-field=logs-note]").includes("Following")`, "the logs stream open")
	path := "/dashboard-probe-" + testkit.UniqueName("log")
	status, _, err := l.get(app, path)
	require.NoError(b.t, err)
	assert.Equal(b.t, http.StatusNotFound, status)
	b.waitFor(fmt.Sprintf(`text(".log-lines").includes(%q)`, "GET "+path),
		"the app's log line in the live logs")
}

// The size of the browser's window: a laptop's.
const (
	windowWidth  = 1280
	windowHeight = 900
)

// browser is a headless Chromium of one test, and where its screenshots
// go.
type browser struct {
	t         *testing.T
	ctx       context.Context
	artifacts string
}

// newBrowser starts Chromium and closes it when the test ends.
func newBrowser(t *testing.T, path string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		// Chromium's sandbox needs user namespaces and refuses to run as
		// root; the tests run as root (they start containers), so the
		// sandbox is off. The browser only opens the test's own server on
		// 127.0.0.1.
		chromedp.NoSandbox,
		chromedp.WindowSize(windowWidth, windowHeight),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelBrowser() // closes the tab and the browser
		cancelAlloc()   // and waits for its process to end
	})

	// The first action starts the browser, with the context it is given:
	// this one lives as long as the test. Later actions get timeouts of
	// their own (in do and eval); ending one of those ends only that
	// action.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(windowWidth, windowHeight)))
	return &browser{t: t, ctx: ctx, artifacts: artifactsDir(t)}
}

// artifactsDir is where screenshots go: $SHIBAFU_ARTIFACTS, or a new
// temporary directory that outlives the test, so it can be looked at.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SHIBAFU_ARTIFACTS")
	if dir == "" {
		var err error
		dir, err = os.MkdirTemp("", "shibafu-dashboard-")
		require.NoError(t, err)
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	t.Logf("dashboard screenshots in %s", dir)
	return dir
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, actions...))
}

// eval runs a JavaScript expression in the page, awaiting it if it is a
// promise, and returns its value as JSON decodes it.
func (b *browser) eval(expr string) any {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr, chromedp.EvalAwaitPromise))
	require.NoError(b.t, err, "%s", expr)
	return v
}

// textHelper defines text(selector) in the page: the text of the first
// element it matches, or "" if none does.
const textHelper = `const text = (sel) => (document.querySelector(sel) || {}).textContent || "";`

func (b *browser) text(selector string) string {
	b.t.Helper()
	s, _ := b.eval(fmt.Sprintf(`(() => { %s return text(%q); })()`, textHelper, selector)).(string)
	return s
}

// waitFor waits until a JavaScript condition holds in the page, which
// may use text(selector). It fails the test with the page's text if it
// does not within a minute.
func (b *browser) waitFor(cond, what string) {
	b.t.Helper()
	expr := fmt.Sprintf(`(() => { %s return Boolean(%s); })()`, textHelper, cond)
	deadline := time.Now().Add(time.Minute)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			page := b.text("main")
			b.screenshot("failed")
			b.t.Fatalf("waiting for %s: %v\nthe page says:\n%s", what, err, page)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// screenshot saves the whole page, at the window's width, as NAME.png
// among the artifacts, and with -update-screenshots as
// docs/img/dashboard-NAME.png too.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	b.screenshotAt(name, windowWidth)
}

// screenshotAt takes the screenshot at a width of the viewport. It
// measures the page in a short viewport, makes the viewport as tall as
// the page, so that one capture holds all of it and no empty space,
// then sets the window's size back.
func (b *browser) screenshotAt(name string, width int64) {
	b.t.Helper()
	const minHeight = 400
	b.do(chromedp.EmulateViewport(width, minHeight))
	height, _ := b.eval(`document.documentElement.scrollHeight`).(float64)
	b.do(chromedp.EmulateViewport(width, max(int64(height), minHeight)),
		chromedp.Sleep(300*time.Millisecond)) // a frame to lay the page out again
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(b.t, err)
	b.do(chromedp.EmulateViewport(windowWidth, windowHeight))

	require.NoError(b.t, os.WriteFile(filepath.Join(b.artifacts, name+".png"), png, 0o644))
	if *updateScreenshots && name != "failed" {
		docs := filepath.Join("..", "..", "..", "docs", "img")
		require.NoError(b.t, os.MkdirAll(docs, 0o755))
		require.NoError(b.t, os.WriteFile(filepath.Join(docs, "dashboard-"+name+".png"), png, 0o644))
	}
}

// apiResponse is a status and a body of the API.
type apiResponse struct {
	status int
	body   string
}

// apiGet GETs a URL of the API with a token ("" for none), without
// waiting for a followed stream to end.
func apiGet(url, token string) (apiResponse, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return apiResponse{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := appClient.Do(req)
	if err != nil {
		return apiResponse{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return apiResponse{resp.StatusCode, string(body)}, nil
}

// apiStatus GETs a URL of the API and returns the status, checking that
// a refusal is the API's JSON error.
func apiStatus(t *testing.T, url, token string) int {
	t.Helper()
	resp, err := apiGet(url, token)
	require.NoError(t, err)
	if resp.status >= 400 {
		var e struct{ Message string }
		require.NoError(t, json.Unmarshal([]byte(resp.body), &e), resp.body)
		assert.NotEmpty(t, e.Message)
	}
	return resp.status
}
