package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
