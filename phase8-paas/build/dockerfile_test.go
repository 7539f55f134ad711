package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
	"shibafu.dev/phase8-paas/paastest"
)

// writeTree makes a source directory of the files given, path to
// content.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// output runs image's command (or argv) to its end and returns what it
// printed.
func output(t *testing.T, c *client.Client, image string, argv ...string) string {
	t.Helper()
	ctx := context.Background()
	ctr, err := c.Run(ctx, api.RunRequest{Image: image, Cmd: argv})
	require.NoError(t, err)
	defer c.Remove(ctx, ctr.ID, true)
	_, err = c.Wait(ctx, ctr.ID)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, c.Logs(ctx, ctr.ID, client.LogOptions{Tail: -1}, &out, &out))
	return out.String()
}

func TestDockerfileInstructions(t *testing.T) {
	r := paastest.StartRuntime(t)
	dir := writeTree(t, map[string]string{
		"Dockerfile": `ARG BASE=busybox
FROM $BASE
ARG WHO=nobody
ARG UNSET
ENV GREETING="hello ${WHO}" EMPTY=${UNSET:-fallback}
WORKDIR /srv
WORKDIR app
COPY one.txt .
COPY one.txt /renamed.txt
COPY check.sh /usr/bin/check
COPY tree/ /opt/tree/
COPY *.md docs/
ADD one.txt /added/
RUN ["sh", "-c", "echo exec form sees $WHO; id -u > /srv/app/uid"]
USER 65534
LABEL stage=test
ENTRYPOINT ["sh"]
CMD ["/usr/bin/check"]
`,
		"check.sh": `pwd; cat one.txt /renamed.txt /opt/tree/sub/f docs/a.md /added/one.txt uid
echo $GREETING $EMPTY; id -u; ls docs
`,
		"one.txt":       "one\n",
		"tree/sub/f":    "deep\n",
		"a.md":          "doc a\n",
		"b.md":          "doc b\n",
		".dockerignore": "b.md\nsecret/\n",
		"secret/key":    "do not copy\n",
	})
	var log bytes.Buffer
	b := &Builder{Runtime: r.Client}
	res, err := b.Build(context.Background(), Request{App: "steps", Dir: dir,
		Tag: "paas/steps:1", BuildArgs: map[string]string{"WHO": "shibafu"}, Log: &log})
	require.NoError(t, err, log.String())
	assert.Contains(t, log.String(), "exec form sees shibafu", "RUN output is logged")

	assert.Equal(t, "/srv/app\none\none\ndeep\ndoc a\none\n0\nhello shibafu fallback\n"+
		"65534\na.md\n", output(t, r.Client, res.Image))
	img, err := r.Client.InspectImage(context.Background(), res.Image)
	require.NoError(t, err)
	assert.Equal(t, "65534", img.Config.User)
	assert.Equal(t, map[string]string{"stage": "test"}, img.Config.Labels)
	assert.Contains(t, img.Config.Env, "GREETING=hello shibafu")
	assert.NotContains(t, img.Config.Env, "WHO=shibafu", "ARGs are not kept in the image")
	assert.Equal(t, []string{"sh", "/usr/bin/check"}, res.Processes["web"])
}

// Stages: a later stage starts from an earlier one or copies out of it,
// by name in any case or by number; a stage the last does not need is
// not built; only the last stage's files are in the image; and a second
// build is the same image, from the cache.
func TestDockerfileMultiStage(t *testing.T) {
	r := paastest.StartRuntime(t)
	dir := writeTree(t, map[string]string{
		"Dockerfile": `FROM busybox AS build
WORKDIR /src
COPY one.txt .
RUN mkdir -p /out/sub && echo "built from $(cat one.txt)" > /out/sub/result && \
	echo tool > /out/tool && chmod 755 /out/tool
FROM build AS Second
RUN echo second > /second.txt
FROM busybox AS tests
RUN echo this stage is not needed; exit 1
FROM busybox
COPY --from=build /out/ /app/
COPY --from=build /out/tool /usr/bin/renamed
COPY --from=second second.txt /
COPY --from=1 /src/one.txt /again.txt
CMD cat /app/sub/result /app/tool /usr/bin/renamed /second.txt /again.txt; \
	test -e /src || echo no /src
`,
		"one.txt": "one\n",
	})
	ctx := context.Background()
	b := &Builder{Runtime: r.Client}
	build := func() (*Result, string) {
		var log bytes.Buffer
		res, err := b.Build(ctx, Request{App: "stages", Dir: dir, Tag: "paas/stages:1", Log: &log})
		require.NoError(t, err, log.String())
		return res, log.String()
	}
	res, log := build()
	assert.Contains(t, log, "Skipping stage 2 (tests)")
	assert.Contains(t, log, "Step 12/12 : CMD", "the skipped stage's steps are not counted")
	assert.Equal(t, "built from one\ntool\ntool\nsecond\none\nno /src\n",
		output(t, r.Client, res.Image))

	again, log := build()
	assert.Equal(t, res.Digest, again.Digest, "an unchanged rebuild makes the same image")
	assert.Equal(t, 9, strings.Count(log, "Using cache"), log) // all but the FROMs
	ctrs, err := r.Client.List(ctx, true)
	require.NoError(t, err)
	assert.Empty(t, ctrs, "no container left behind")
}

// FROM scratch starts from nothing: the image has only what the stage
// copies into it, here a static busybox that runs as cat.
func TestDockerfileFromScratch(t *testing.T) {
	r := paastest.StartRuntime(t)
	dir := writeTree(t, map[string]string{"Dockerfile": `FROM busybox AS build
RUN echo made in an earlier stage > /msg
FROM scratch
COPY --from=build /bin/busybox /bin/cat
COPY --from=build /msg /
ENTRYPOINT ["/bin/cat", "/msg"]
`})
	ctx := context.Background()
	b := &Builder{Runtime: r.Client}
	var log bytes.Buffer
	res, err := b.Build(ctx, Request{App: "scratch", Dir: dir, Tag: "paas/scratch:1", Log: &log})
	require.NoError(t, err, log.String())
	assert.Equal(t, "made in an earlier stage\n", output(t, r.Client, res.Image))
	assert.Contains(t, output(t, r.Client, res.Image, "/bin/sh"), "can't open '/bin/sh'",
		"nothing but what was copied: no shell")
}

func TestDockerfileErrors(t *testing.T) {
	r := paastest.StartRuntime(t)
	ctx := context.Background()
	b := &Builder{Runtime: r.Client}
	for _, tc := range []struct {
		name, dockerfile, step, message string
	}{
		{"failing RUN", "FROM busybox\nRUN echo about to fail\nRUN exit 3\nCMD true\n",
			"step 3/4 (RUN exit 3)", "non-zero code: 3"},
		{"escaping COPY", "FROM busybox\nCOPY ../outside /x\n",
			"step 2/2 (COPY ../outside /x)", "outside the build context"},
		{"missing COPY source", "FROM busybox\nCOPY nope /x\n",
			"step 2/2", "not in the build context"},
		{"ignored COPY source", "FROM busybox\nCOPY secret /x\n",
			"step 2/2", "left out by .dockerignore"},
		{"remote ADD", "FROM busybox\nADD http://127.0.0.1:1/x /x\n",
			"step 2/2", "local files only"},
		{"missing base", "FROM nothing-here\n", "step 1/1 (FROM nothing-here)", "not found"},
		{"COPY from nowhere", "FROM busybox\nCOPY --from=nowhere /x /x\n",
			"step 2/2", "neither an earlier stage nor an image"},
		{"COPY from a missing file", "FROM busybox AS a\nFROM busybox\nCOPY --from=a /nope /x\n",
			"step 3/3", "no such file"},
		{"COPY from a pattern", "FROM busybox AS a\nFROM busybox\nCOPY --from=a /bin/* /x/\n",
			"step 3/3", "patterns are not supported"},
		{"out of memory", "FROM busybox\nRUN dd if=/dev/zero of=/dev/null bs=200M count=1\n",
			"step 2/2", "more than 64m of memory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"Dockerfile": tc.dockerfile,
				"secret": "s\n", ".dockerignore": "secret\n"})
			var log bytes.Buffer
			b.Memory = ""
			if tc.name == "out of memory" {
				b.Memory = "64m"
			}
			_, err := b.Build(ctx, Request{App: "bad", Dir: dir, Tag: "paas/bad:1", Log: &log})
			require.Error(t, err)
			var se *StepError
			assert.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), tc.step)
			assert.Contains(t, err.Error(), tc.message)

			_, err = r.Client.InspectImage(ctx, "paas/bad:1")
			assert.ErrorIs(t, err, api.ErrNotFound, "no image of a failed build")
			ctrs, err := r.Client.List(ctx, true)
			require.NoError(t, err)
			assert.Empty(t, ctrs, "no container left behind")
		})
	}
	assert.Contains(t, func() string {
		_, err := b.Build(ctx, Request{App: "bad", Dir: t.TempDir(), Tag: "paas/bad:1"})
		return err.Error()
	}(), "cannot tell how to build")
}
