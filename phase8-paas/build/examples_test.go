package build

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
	"shibafu.dev/phase8-paas/paastest"
)

// example is the path of a sample app.
func example(name string) string { return filepath.Join("..", "examples", name) }

// build builds dir as app, tagged paas/APP:TAG, and returns the result
// and the log.
func build(t *testing.T, c *client.Client, app, dir, tag string) (*Result, string) {
	t.Helper()
	var log bytes.Buffer
	b := &Builder{Runtime: c}
	res, err := b.Build(context.Background(), Request{App: app, Dir: dir,
		Tag: "paas/" + app + ":" + tag, Log: &log})
	require.NoError(t, err, "build log:\n%s", log.String())
	return res, log.String()
}

// serve runs image with env (PORT=8080 added) and returns the base URL
// of its first network address once it answers path.
func serve(t *testing.T, c *client.Client, image string, entrypoint []string,
	env ...string) string {
	t.Helper()
	ctx := context.Background()
	ctr, err := c.Run(ctx, api.RunRequest{Image: image, Entrypoint: entrypoint,
		Env: append([]string{"PORT=8080"}, env...)})
	require.NoError(t, err)
	t.Cleanup(func() { c.Remove(context.Background(), ctr.ID, true) })
	require.NotEmpty(t, ctr.Networks)
	base := "http://" + ctr.Networks[0].IP + ":8080"
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	}, 10*time.Second, 50*time.Millisecond, "%s never answered", image)
	return base
}

// get GETs url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestGoWebBuildsRunsAndRebuildsFromCache(t *testing.T) {
	r := paastest.StartRuntime(t)

	start := time.Now()
	res, log := build(t, r.Client, "go-web", example("go-web"), "1")
	cold := time.Since(start)
	assert.Equal(t, KindGo, res.Kind)
	assert.Equal(t, map[string][]string{"web": {GoBinary}}, res.Processes)
	assert.Zero(t, res.Port, "go-web listens on $PORT, it exposes nothing")
	assert.Contains(t, log, "Step 2/3 : RUN go build")

	base := serve(t, r.Client, res.Image, nil, "SHIBAFU_RELEASE=v1", "GREETING=hi there")
	code, body := get(t, base+"/")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Hello from go-web, release v1: hi there\n", body)
	code, body = get(t, base+"/healthz")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok", body)
	_, body = get(t, base+"/env?name=GREETING")
	assert.Equal(t, "hi there", body)
	_, body = get(t, base+"/burn?ms=20")
	assert.Contains(t, body, "burned 20 ms")

	start = time.Now()
	again, log := build(t, r.Client, "go-web", example("go-web"), "2")
	warm := time.Since(start)
	assert.Equal(t, res.Digest, again.Digest, "the same image, from the cache")
	assert.Equal(t, 2, strings.Count(log, "Using cache"), log)
	assert.NotContains(t, log, "go build:", "nothing compiled")
	assert.Less(t, warm, 3*time.Second)
	t.Logf("go-web: cold build %v, cached rebuild %v", cold.Round(time.Millisecond),
		warm.Round(time.Millisecond))
}

func TestStaticSite(t *testing.T) {
	r := paastest.StartRuntime(t)
	res, log := build(t, r.Client, "static-site", example("static-site"), "1")
	t.Log(log)
	assert.Equal(t, KindStatic, res.Kind)
	base := serve(t, r.Client, res.Image, nil)
	code, body := get(t, base+"/")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "Hello from static-site")
	code, body = get(t, base+"/style.css")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "font-family")
}

func TestDockerfileApp(t *testing.T) {
	r := paastest.StartRuntime(t)
	res, log := build(t, r.Client, "dockerfile-app", example("dockerfile-app"), "1")
	t.Log(log)
	assert.Equal(t, KindDockerfile, res.Kind)
	assert.Equal(t, 8080, res.Port)
	base := serve(t, r.Client, res.Image, nil)
	code, body := get(t, base+"/")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "Hello from dockerfile-app")
	assert.Contains(t, body, "made by RUN, plain flavour")
	code, _ = get(t, base+"/README.md")
	assert.Equal(t, http.StatusNotFound, code)
	assert.NotContains(t, output(t, r.Client, res.Image, "ls", "/"), "work",
		"the first stage's files stay out of the image")

	again, log := build(t, r.Client, "dockerfile-app", example("dockerfile-app"), "2")
	t.Log(log)
	assert.Equal(t, res.Digest, again.Digest, "an unchanged rebuild comes from the cache")
}

func TestProcfileApp(t *testing.T) {
	r := paastest.StartRuntime(t)
	ctx := context.Background()
	res, _ := build(t, r.Client, "procfile-app", example("procfile-app"), "1")
	assert.Equal(t, KindGo, res.Kind)
	assert.Equal(t, map[string][]string{
		"web":    {"/bin/sh", "-c", "/app/server"},
		"worker": {"/bin/sh", "-c", "sh -c 'while true; do echo worker tick; sleep 2; done'"},
	}, res.Processes)

	base := serve(t, r.Client, res.Image, res.Processes["web"])
	_, body := get(t, base+"/")
	assert.Equal(t, "Hello from procfile-app (web)\n", body)

	worker, err := r.Client.Run(ctx, api.RunRequest{Image: res.Image,
		Entrypoint: res.Processes["worker"]})
	require.NoError(t, err)
	t.Cleanup(func() { r.Client.Remove(context.Background(), worker.ID, true) })
	assert.Eventually(t, func() bool {
		var out bytes.Buffer
		r.Client.Logs(ctx, worker.ID, client.LogOptions{Tail: -1}, &out, &out)
		return strings.Contains(out.String(), "worker tick")
	}, 10*time.Second, 100*time.Millisecond, "the worker ticks")
}
