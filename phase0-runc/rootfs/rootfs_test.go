package rootfs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBusybox(t *testing.T) {
	if _, err := os.Stat(DefaultBusybox); err != nil {
		// testkit would say this, but it imports this package.
		if os.Getenv("CI") == "true" {
			t.Fatal("busybox-static is not installed, and CI must run every test")
		}
		t.Skip("busybox-static is not installed: run make setup")
	}
	dst := t.TempDir()
	require.NoError(t, Busybox("", dst))

	for _, applet := range []string{"bin/sh", "bin/ls", "bin/sleep"} {
		target, err := os.Readlink(filepath.Join(dst, applet))
		require.NoError(t, err, applet)
		assert.Equal(t, "/bin/busybox", target)
	}
	info, err := os.Stat(filepath.Join(dst, "tmp"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeSticky|0o777, info.Mode()&(os.ModeSticky|os.ModePerm))
	assert.FileExists(t, filepath.Join(dst, "etc/passwd"))
}

func TestBusyboxRefusesDynamicBinary(t *testing.T) {
	err := Busybox("/bin/ls", t.TempDir())
	assert.ErrorContains(t, err, "dynamically linked")
}

func TestFromDir(t *testing.T) {
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "app/data"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(src, "app/run.sh"), []byte("#!/bin/sh\n"), 0o755))
	require.NoError(t, os.Symlink("run.sh", filepath.Join(src, "app/start")))

	dst := filepath.Join(t.TempDir(), "rootfs")
	require.NoError(t, FromDir(src, dst))

	info, err := os.Stat(filepath.Join(dst, "app/run.sh"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm())
	link, err := os.Readlink(filepath.Join(dst, "app/start"))
	require.NoError(t, err)
	assert.Equal(t, "run.sh", link)
	assert.DirExists(t, filepath.Join(dst, "proc"), "base directories are added")

	assert.ErrorContains(t, FromDir(filepath.Join(src, "nope"), dst), "no such file")
	assert.ErrorContains(t, FromDir(filepath.Join(src, "app/run.sh"), dst), "not a directory")
}

// entry is one member of a test archive.
type entry struct {
	name, link, body string
	typ              byte
}

func makeTar(t *testing.T, gz bool, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Linkname: e.link, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body))}
		if e.typ == tar.TypeDir {
			hdr.Mode = 0o755
		}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(e.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	if !gz {
		return buf.Bytes()
	}
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	_, err := zw.Write(buf.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return zbuf.Bytes()
}

func TestUntar(t *testing.T) {
	for _, gz := range []bool{false, true} {
		dst := t.TempDir()
		data := makeTar(t, gz,
			entry{name: "etc/", typ: tar.TypeDir},
			entry{name: "etc/motd", body: "hi\n", typ: tar.TypeReg},
			entry{name: "etc/motd.link", link: "motd", typ: tar.TypeSymlink},
			entry{name: "etc/motd.hard", link: "etc/motd", typ: tar.TypeLink},
		)
		require.NoError(t, Untar(bytes.NewReader(data), dst))

		body, err := os.ReadFile(filepath.Join(dst, "etc/motd.hard"))
		require.NoError(t, err)
		assert.Equal(t, "hi\n", string(body))
		link, err := os.Readlink(filepath.Join(dst, "etc/motd.link"))
		require.NoError(t, err)
		assert.Equal(t, "motd", link)
	}
}

// TestUntarRefusesEscapes feeds archives that try to write outside the
// target directory; each must fail and leave the outside untouched.
func TestUntarRefusesEscapes(t *testing.T) {
	tests := []struct {
		name    string
		entries []entry
		want    string
	}{
		{"dot-dot", []entry{{name: "../evil", body: "x", typ: tar.TypeReg}}, "escapes"},
		{"nested dot-dot", []entry{{name: "a/../../evil", body: "x", typ: tar.TypeReg}}, "escapes"},
		{"absolute", []entry{{name: "/evil", body: "x", typ: tar.TypeReg}}, "absolute"},
		{"through symlink", []entry{
			{name: "out", link: "..", typ: tar.TypeSymlink},
			{name: "out/evil", body: "x", typ: tar.TypeReg},
		}, "symbolic link"},
		{"through absolute symlink", []entry{
			{name: "etc", link: "/", typ: tar.TypeSymlink},
			{name: "etc/evil", body: "x", typ: tar.TypeReg},
		}, "symbolic link"},
		{"hard link out", []entry{{name: "evil", link: "../secret", typ: tar.TypeLink}}, "hard link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outer := t.TempDir()
			dst := filepath.Join(outer, "inner", "root")
			require.NoError(t, os.MkdirAll(dst, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(outer, "inner", "secret"), []byte("s"), 0o600))

			err := Untar(bytes.NewReader(makeTar(t, false, tt.entries...)), dst)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NoFileExists(t, filepath.Join(outer, "inner", "evil"))
			assert.NoFileExists(t, filepath.Join(outer, "evil"))
			assert.NoFileExists(t, "/evil")
		})
	}
}

func TestFromTarErrors(t *testing.T) {
	dir := t.TempDir()
	assert.ErrorContains(t, FromTar(filepath.Join(dir, "nope.tar"), filepath.Join(dir, "r")), "no such file")

	bad := filepath.Join(dir, "bad.tar")
	junk := []byte("this is not a tar archive at all, not even close......")
	require.NoError(t, os.WriteFile(bad, junk, 0o644))
	assert.ErrorContains(t, FromTar(bad, filepath.Join(dir, "r2")), "read tar")
}

// FuzzUntar checks that no archive, however malformed, makes Untar panic
// or write outside its target.
func FuzzUntar(f *testing.F) {
	f.Add(makeTar(&testing.T{}, false, entry{name: "a", body: "b", typ: tar.TypeReg}))
	f.Add(makeTar(&testing.T{}, true, entry{name: "d/", typ: tar.TypeDir}))
	f.Add(makeTar(&testing.T{}, false, entry{name: "l", link: "..", typ: tar.TypeSymlink},
		entry{name: "l/x", body: "b", typ: tar.TypeReg}))
	f.Fuzz(func(t *testing.T, data []byte) {
		outer := t.TempDir()
		dst := filepath.Join(outer, "root")
		require.NoError(t, os.Mkdir(dst, 0o755))
		_ = Untar(bytes.NewReader(data), dst)
		entries, err := os.ReadDir(outer)
		require.NoError(t, err)
		assert.Len(t, entries, 1, "nothing written beside the target")
	})
}
