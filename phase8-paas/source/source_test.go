package source

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTree makes a directory of the files given, path to content.
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

// listTree returns the paths below dir, slash-separated and sorted.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	}))
	sort.Strings(out)
	return out
}

func TestPackHonoursIgnoreFilesAndUnpackRestores(t *testing.T) {
	src := writeTree(t, map[string]string{
		"main.go":          "package main\n",
		"web/index.html":   "<h1>hi</h1>\n",
		"web/cache.tmp":    "x",
		"build/out":        "binary",
		"node_modules/a/b": "dep",
		"logs/keep.log":    "kept by !",
		"logs/drop.log":    "dropped",
		".git/HEAD":        "ref: refs/heads/main\n",
		".gitignore":       "*.tmp\n/build/\nnode_modules/\nlogs/*.log\n!logs/keep.log\n",
		".dockerignore":    "secret.txt\n",
		"secret.txt":       "s3cret",
	})
	require.NoError(t, os.Chmod(filepath.Join(src, "main.go"), 0o755))
	require.NoError(t, os.Symlink("web/index.html", filepath.Join(src, "home")))

	var buf bytes.Buffer
	require.NoError(t, Pack(src, &buf))
	dst := filepath.Join(t.TempDir(), "out")
	require.NoError(t, Unpack(&buf, dst, 1<<20))

	assert.Equal(t, []string{".dockerignore", ".gitignore", "home", "logs", "logs/keep.log",
		"main.go", "web", "web/index.html"}, listTree(t, dst))
	info, err := os.Stat(filepath.Join(dst, "main.go"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm())
	link, err := os.Readlink(filepath.Join(dst, "home"))
	require.NoError(t, err)
	assert.Equal(t, "web/index.html", link)
}

// entry is one member of a test tarball.
type entry struct {
	name, link, body string
	kind             byte
}

// tarball is a gzip tar stream of entries.
func tarball(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		kind := e.kind
		if kind == 0 {
			kind = tar.TypeReg
		}
		hdr := &tar.Header{Name: e.name, Linkname: e.link, Typeflag: kind, Mode: 0o644,
			Size: int64(len(e.body))}
		switch kind {
		case tar.TypeReg:
		case tar.TypeXGlobalHeader: // what git archive writes first
			hdr = &tar.Header{Typeflag: kind, PAXRecords: map[string]string{"comment": "c0ffee"}}
		default:
			hdr.Size = 0
		}
		require.NoError(t, tw.WriteHeader(hdr))
		if kind == tar.TypeReg {
			_, err := tw.Write([]byte(e.body))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestUnpackRefusesWhatLeadsOut(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []entry
		err     string
	}{
		{"dot-dot", []entry{{name: "../evil", body: "x"}}, "leads out"},
		{"absolute", []entry{{name: "/etc/evil", body: "x"}}, "leads out"},
		{"deep dot-dot", []entry{{name: "a/../../evil", body: "x"}}, "leads out"},
		{"absolute symlink", []entry{{name: "l", link: "/etc", kind: tar.TypeSymlink}},
			"leads out"},
		{"climbing symlink", []entry{{name: "a/l", link: "../../x", kind: tar.TypeSymlink}},
			"leads out"},
		{"through a symlink", []entry{
			{name: "d", link: ".", kind: tar.TypeSymlink},
			{name: "d/f", body: "x"}}, "below the symlink d"},
		{"hard link", []entry{{name: "f", body: "x"},
			{name: "h", link: "f", kind: tar.TypeLink}}, "only files"},
		{"device", []entry{{name: "null", kind: tar.TypeChar}}, "only files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top := t.TempDir()
			err := Unpack(bytes.NewReader(tarball(t, tc.entries...)),
				filepath.Join(top, "dest"), 1<<20)
			assert.ErrorIs(t, err, ErrUnsafe)
			assert.ErrorContains(t, err, tc.err)
			assert.NotContains(t, listTree(t, top), "evil")
		})
	}
}

func TestUnpackLimit(t *testing.T) {
	big := tarball(t, entry{name: "big", body: string(bytes.Repeat([]byte("a"), 64<<10))})
	err := Unpack(bytes.NewReader(big), t.TempDir(), 10_000)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.EqualError(t, err, "upload exceeds 10000 bytes")

	many := make([]entry, 100)
	for i := range many {
		many[i] = entry{name: "f" + string(rune('a'+i%26)) + string(rune('a'+i/26))}
	}
	err = Unpack(bytes.NewReader(tarball(t, many...)), t.TempDir(), 10_000)
	assert.ErrorIs(t, err, ErrTooLarge, "headers count too")

	require.NoError(t, Unpack(bytes.NewReader(big), t.TempDir(), 1<<20))
	assert.Error(t, Unpack(bytes.NewReader([]byte("not gzip")), t.TempDir(), 1<<20))
}

func TestUnpackKeepsInnerSymlinksAndGitHeaders(t *testing.T) {
	dir := t.TempDir()
	data := tarball(t,
		entry{name: "pax_global_header", kind: tar.TypeXGlobalHeader},
		entry{name: "./", kind: tar.TypeDir},
		entry{name: "a/", kind: tar.TypeDir},
		entry{name: "a/f", body: "x"},
		entry{name: "a/up", link: "../b", kind: tar.TypeSymlink},
		entry{name: "b", body: "y"})
	require.NoError(t, Unpack(bytes.NewReader(data), dir, 1<<20))
	assert.Equal(t, []string{"a", "a/f", "a/up", "b"}, listTree(t, dir))
}

func TestGitPattern(t *testing.T) {
	for in, want := range map[string]string{
		"*.tmp": "**/*.tmp", "/build/": "build", "node_modules/": "**/node_modules",
		"docs/*.md": "docs/*.md", "!keep.log": "!**/keep.log", "**/x": "**/x",
	} {
		got, ok := gitPattern(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, skip := range []string{"", "# note", "   "} {
		_, ok := gitPattern(skip)
		assert.False(t, ok, skip)
	}
}
