package layer_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase3-overlay/layer"
)

// hostile is the corpus of malicious layers. Each must be refused with
// the error category given, and write nothing outside the target.
var hostile = []struct {
	name    string
	entries []entry
	want    error
}{
	{"dotdot", []entry{file("../sentinel", "pwned")}, layer.ErrUnsafePath},
	{"dotdot-deep", []entry{file("a/../../sentinel", "pwned")}, layer.ErrUnsafePath},
	{"absolute", []entry{file("/tmp/sbf-pwned", "pwned")}, layer.ErrUnsafePath},
	{"symlink-abs-parent", []entry{
		symlink("evil", "/tmp"), file("evil/sbf-pwned", "pwned"),
	}, layer.ErrUnsafePath},
	{"symlink-rel-parent", []entry{
		symlink("evil", ".."), file("evil/sentinel", "pwned"),
	}, layer.ErrUnsafePath},
	{"symlink-chain", []entry{
		dir("a/"), symlink("a/up", ".."), symlink("a/out", "up/.."),
		file("a/out/sentinel", "pwned"),
	}, layer.ErrUnsafePath},
	{"symlink-dir-then-mkdir", []entry{
		symlink("d", "../"), dir("d/newdir/"),
	}, layer.ErrUnsafePath},
	{"hardlink-dotdot", []entry{hardlink("h", "../sentinel")}, layer.ErrUnsafePath},
	{"hardlink-absolute", []entry{hardlink("h", "/etc/passwd")}, layer.ErrUnsafePath},
	{"hardlink-via-symlink", []entry{
		symlink("up", ".."), hardlink("h", "up/sentinel"),
	}, layer.ErrUnsafePath},
	{"whiteout-dotdot", []entry{file("a/.wh...", "")}, layer.ErrUnsafePath},
	{"whiteout-via-symlink", []entry{
		symlink("up", ".."), file("up/.wh.sentinel", ""),
	}, layer.ErrUnsafePath},
	{"opaque-via-symlink", []entry{
		symlink("up", ".."), file("up/.wh..wh..opq", ""),
	}, layer.ErrUnsafePath},
	{"char-device", []entry{{name: "dev/mem", typ: tar.TypeChar, major: 1, minor: 1}},
		layer.ErrDevice},
	{"block-device", []entry{{name: "sda", typ: tar.TypeBlock, major: 8}}, layer.ErrDevice},
	{"forged-overlay-whiteout", []entry{{name: "x", typ: tar.TypeChar}}, layer.ErrDevice},
	{"root-as-file", []entry{file(".", "x")}, layer.ErrUnsafePath},
}

func TestHostileLayersAreRefused(t *testing.T) {
	for _, tc := range hostile {
		for _, mode := range []layer.Mode{layer.Flat, layer.Overlay} {
			t.Run(fmt.Sprintf("%s/mode%d", tc.name, mode), func(t *testing.T) {
				target, check := sandbox(t)
				_, err := layer.Apply(context.Background(), target,
					bytes.NewReader(tarOf(t, tc.entries...)), layer.Options{Mode: mode})
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.want)
				check()
				assert.NoFileExists(t, "/tmp/sbf-pwned")
			})
		}
	}
}

func TestForgedOverlayXattrIsRefused(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{
		Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755, Format: tar.FormatPAX,
		PAXRecords: map[string]string{"SCHILY.xattr.trusted.overlay.opaque": "y"},
	}))
	require.NoError(t, tw.Close())

	_, err := layer.Apply(context.Background(), t.TempDir(), &buf, layer.Options{})
	assert.ErrorIs(t, err, layer.ErrUnsafePath)
}

func TestSymlinksInsideTheTargetAreFollowed(t *testing.T) {
	target, check := sandbox(t)
	data := tarOf(t, dir("usr/lib/"), symlink("lib", "usr/lib"), file("lib/x", "ok"))
	_, err := layer.Apply(context.Background(), target, bytes.NewReader(data), layer.Options{})
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(target, "usr/lib/x"))
	check()
}

// TestSeedCorpus checks that the kept fuzz seed corpus in
// testdata/fuzz/FuzzApply holds every case of the hostile table, so that
// the fuzzer starts from all of them. With SHIBAFU_WRITE_CORPUS=1 it
// rewrites the corpus from the table instead.
func TestSeedCorpus(t *testing.T) {
	corpus := filepath.Join("testdata", "fuzz", "FuzzApply")
	write := os.Getenv("SHIBAFU_WRITE_CORPUS") == "1"
	if write {
		require.NoError(t, os.MkdirAll(corpus, 0o755))
	}
	seeds := map[string][]byte{
		"valid-basic": tarOf(t, dir("etc/"), file("etc/motd", "hi"),
			symlink("etc/l", "motd"), hardlink("etc/h", "etc/motd")),
		"valid-whiteouts": tarOf(t, file(".wh.gone", ""), dir("o/"),
			file("o/.wh..wh..opq", "")),
	}
	for _, tc := range hostile {
		seeds["hostile-"+tc.name] = tarOf(t, tc.entries...)
	}
	for name, data := range seeds {
		path := filepath.Join(corpus, name)
		if !write {
			kept, err := os.ReadFile(path)
			require.NoError(t, err, "seed %s missing: rerun with SHIBAFU_WRITE_CORPUS=1", name)
			assert.True(t, strings.HasPrefix(string(kept), "go test fuzz v1\n"), name)
			continue
		}
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(false)\n", data)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
}
