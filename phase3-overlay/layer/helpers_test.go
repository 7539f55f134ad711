package layer_test

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// entry is one member of a tar archive built by a test.
type entry struct {
	name, body, link string
	typ              byte
	mode             int64
	major, minor     int64
}

func file(name, body string) entry { return entry{name: name, body: body, typ: tar.TypeReg} }
func dir(name string) entry        { return entry{name: name, typ: tar.TypeDir, mode: 0o755} }
func symlink(name, target string) entry {
	return entry{name: name, link: target, typ: tar.TypeSymlink, mode: 0o777}
}
func hardlink(name, target string) entry {
	return entry{name: name, link: target, typ: tar.TypeLink}
}

// tarOf returns the bytes of a tar archive holding entries.
func tarOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		hdr := &tar.Header{
			Name: e.name, Linkname: e.link, Typeflag: e.typ, Mode: mode,
			Size: int64(len(e.body)), Devmajor: e.major, Devminor: e.minor,
			ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX,
		}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(e.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// sandbox makes a directory holding a target to extract into and a
// sentinel file beside it that no extraction may touch. It returns the
// target and a function that fails the test if anything outside the
// target changed.
func sandbox(t testing.TB) (target string, check func()) {
	t.Helper()
	parent := t.TempDir()
	target = filepath.Join(parent, "target")
	require.NoError(t, os.Mkdir(target, 0o755))
	sentinel := filepath.Join(parent, "sentinel")
	require.NoError(t, os.WriteFile(sentinel, []byte("untouched"), 0o644))
	return target, func() {
		t.Helper()
		names, err := os.ReadDir(parent)
		require.NoError(t, err)
		var got []string
		for _, n := range names {
			got = append(got, n.Name())
		}
		require.ElementsMatch(t, []string{"sentinel", "target"}, got,
			"something was written beside the target")
		data, err := os.ReadFile(sentinel)
		require.NoError(t, err)
		require.Equal(t, "untouched", string(data))
	}
}
