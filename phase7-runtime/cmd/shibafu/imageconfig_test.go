package main

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/image"
	regclient "shibafu.dev/phase5-registry/client"
	"shibafu.dev/phase5-registry/reference"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

// oneFileTar is a tar stream of one file, name, holding data.
func oneFileTar(t *testing.T, name, data string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644,
		Size: int64(len(data)), Typeflag: tar.TypeReg}))
	_, err := tw.Write([]byte(data))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	return &buf
}

// inspectImage runs `shibafu image inspect` on one image.
func (l *lab) inspectImage(ref string) api.ImageDetail {
	l.t.Helper()
	var out []api.ImageDetail
	require.NoError(l.t, json.Unmarshal([]byte(l.ok("image", "inspect", ref)), &out))
	require.Len(l.t, out, 1)
	return out[0]
}

func TestImageInspectCommitAndTagWithConfig(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	c := &client.Client{Socket: l.socket}

	base := l.inspectImage("busybox")
	assert.Equal(t, "busybox", base.Ref)
	assert.True(t, strings.HasPrefix(base.Digest, "sha256:"))
	require.NotEmpty(t, base.Layers)
	assert.NotEmpty(t, base.Config.Cmd)
	assert.Contains(t, l.fail("image", "inspect", "nope"), "not found")

	// A created container, never started, takes files and commits them
	// with settings of the caller's own: what a builder's COPY does.
	id := strings.TrimSpace(l.ok("create", "busybox"))
	require.NoError(t, c.CopyTo(ctx, id, "/tmp", oneFileTar(t, "note", "copied\n")))
	require.NoError(t, c.CopyToDir(ctx, id, "/opt/app/etc", oneFileTar(t, "conf", "deep\n")),
		"the directory and its parents are made")
	require.NoError(t, c.CopyToDir(ctx, id, "/", oneFileTar(t, "top", "top\n")), "into /")
	cfg := api.ImageConfig{
		Env:          []string{"PATH=/bin", "GREETING=hi"},
		Cmd:          []string{"sh", "-c", "cat note /opt/app/etc/conf /top; echo $GREETING"},
		WorkingDir:   "/tmp",
		ExposedPorts: []string{"8080/tcp"},
		Labels:       map[string]string{"course": "shibafu"},
	}
	img, err := c.CommitWithConfig(ctx, id, "course/app:v1", "copy note", cfg)
	require.NoError(t, err)
	l.ok("rm", id)
	got := l.inspectImage("course/app:v1")
	assert.Equal(t, img.Digest, got.Digest)
	assert.Equal(t, cfg, got.Config, "the settings are exactly those given")
	assert.Equal(t, base.Layers, got.Layers[:len(base.Layers)])
	assert.Len(t, got.Layers, len(base.Layers)+1, "one layer more")
	assert.Equal(t, "copied\ndeep\ntop\nhi\n", l.ok("run", "--rm", "course/app:v1"))

	// New settings alone make a new image of the same layers.
	cfg.Cmd = []string{"echo", "tagged"}
	cfg.ExposedPorts = nil
	tagged, err := c.TagWithConfig(ctx, "course/app:v1", "course/app:v2", cfg)
	require.NoError(t, err)
	assert.NotEqual(t, img.Digest, tagged.Digest)
	v2 := l.inspectImage("course/app:v2")
	assert.Equal(t, got.Layers, v2.Layers, "no new layer")
	assert.Empty(t, v2.Config.ExposedPorts)
	assert.Equal(t, "tagged\n", l.ok("run", "--rm", "course/app:v2"))
	assert.Equal(t, got.Config.Cmd, l.inspectImage("course/app:v1").Config.Cmd,
		"the source keeps its own settings")

	_, err = c.TagWithConfig(ctx, "course/app:v1", "course/app:bad",
		api.ImageConfig{ExposedPorts: []string{"http"}})
	assert.ErrorIs(t, err, api.ErrInvalid)
	_, err = c.TagWithConfig(ctx, "nope", "course/app:bad", cfg)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.NotContains(t, l.ok("images", "-q"), "course/app:bad")
}

func TestRunByDigest(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	c := &client.Client{Socket: l.socket}
	host := startRegistry(t)

	// An image the daemon has never seen, pushed from a store of the
	// test's own.
	store, err := image.Open(filepath.Join(t.TempDir(), "images"))
	require.NoError(t, err)
	_, err = store.Busybox(ctx, "elsewhere")
	require.NoError(t, err)
	dst, err := reference.Parse(host + "/course/remote:v1")
	require.NoError(t, err)
	desc, err := (&regclient.Client{}).Push(ctx, store, "elsewhere", dst)
	require.NoError(t, err)
	pinned := host + "/course/remote@" + desc.Digest.String()

	run := func(ref string) string {
		t.Helper()
		ctr, err := c.Run(ctx, api.RunRequest{Image: ref, Cmd: []string{"echo", "pinned"}})
		require.NoError(t, err)
		_, err = c.Wait(ctx, ctr.ID)
		require.NoError(t, err)
		var out bytes.Buffer
		require.NoError(t, c.Logs(ctx, ctr.ID, client.LogOptions{Tail: -1}, &out, &out))
		require.NoError(t, c.Remove(ctx, ctr.ID, true))
		return out.String()
	}
	assert.Equal(t, "pinned\n", run(pinned), "pulled by digest")
	assert.Equal(t, desc.Digest.String(), l.inspectImage(pinned).Digest)

	// A local image with that manifest digest is used as it is.
	l.ok("tag", "busybox", host+"/course/local:v1")
	pushed := strings.TrimSpace(l.ok("push", host+"/course/local:v1"))
	assert.Equal(t, "pinned\n", run(host+"/course/never-pushed@"+pushed),
		"found locally, although that name is in no registry")

	_, err = c.Run(ctx, api.RunRequest{Image: host + "/course/remote@sha256:" +
		strings.Repeat("0", 64)})
	assert.ErrorIs(t, err, api.ErrNotFound)
}
