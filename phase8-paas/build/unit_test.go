package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadProcfile(t *testing.T) {
	for _, tc := range []struct {
		name, procfile string
		want           map[string][]string
		err            string
	}{
		{"two types", "web: ./server --port $PORT\n\n# a note\nworker: run-jobs\n",
			map[string][]string{
				"web":    {"/bin/sh", "-c", "./server --port $PORT"},
				"worker": {"/bin/sh", "-c", "run-jobs"},
			}, ""},
		{"bad line", "web ./server\n", nil, "line 1: want TYPE: COMMAND"},
		{"twice", "web: a\nweb: b\n", nil, "line 2: type web given twice"},
		{"empty", "# nothing\n", nil, "no process types"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"Procfile": tc.procfile})
			got, err := readProcfile(dir)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	got, err := readProcfile(t.TempDir())
	require.NoError(t, err)
	assert.Nil(t, got, "no Procfile, no process types")
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"Dockerfile": "FROM busybox\n", "go.mod": "module x\n"}, KindDockerfile},
		{map[string]string{"go.mod": "module x\n", "index.html": ""}, KindGo},
		{map[string]string{"index.html": ""}, KindStatic},
		{map[string]string{"public/index.html": ""}, KindStatic},
	} {
		got, err := detect(writeTree(t, tc.files))
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
	_, err := detect(writeTree(t, map[string]string{"README": ""}))
	assert.ErrorIs(t, err, ErrUnknownKind)
}

func TestLayerFileHashFollowsContentModeAndIgnore(t *testing.T) {
	hash := func(dir string) string {
		t.Helper()
		c, err := openContext(dir)
		require.NoError(t, err)
		defer c.Close()
		l, err := newLayerFile()
		require.NoError(t, err)
		defer l.Close()
		require.NoError(t, c.add(l, ".", ""))
		require.NoError(t, l.finish())
		return l.hash
	}
	files := map[string]string{"a": "1", "d/b": "2", ".dockerignore": "tmp\n"}
	dir := writeTree(t, files)
	first := hash(dir)
	assert.Equal(t, first, hash(writeTree(t, files)), "same files, same hash")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "tmp"), []byte("ignored"), 0o644))
	now := hash(dir)
	assert.Equal(t, first, now, "an ignored file changes nothing")
	require.NoError(t, os.Chmod(filepath.Join(dir, "a"), 0o755))
	assert.NotEqual(t, now, hash(dir), "a mode is part of it")
	now = hash(dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d/b"), []byte("3"), 0o644))
	assert.NotEqual(t, now, hash(dir), "so is content")
}

func TestSourcePath(t *testing.T) {
	for in, want := range map[string]string{"a/b": "a/b", "/a/../b": "b", ".": ".", "./x/": "x"} {
		got, err := sourcePath(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"..", "../x", "a/../../x"} {
		_, err := sourcePath(bad)
		assert.ErrorContains(t, err, "outside the build context", bad)
	}
}

func TestLowestTCPPort(t *testing.T) {
	assert.Equal(t, 0, lowestTCPPort(nil))
	assert.Equal(t, 80, lowestTCPPort([]string{"8080/tcp", "53/udp", "80/tcp"}))
}

func TestDynamicToolchainIsRefused(t *testing.T) {
	for _, p := range []string{"/bin/ls", "/usr/bin/env"} {
		if err := checkStatic(p); err != nil {
			assert.ErrorIs(t, err, ErrDynamicToolchain)
			assert.ErrorContains(t, err, "needs a dynamic loader")
			return
		}
	}
	t.Skip("no dynamically linked program on this host to check against")
}

// The stages a build needs: the last, and what it starts from or copies
// from, through ARGs, names in any case and numbers, and theirs in turn.
func TestNeededStages(t *testing.T) {
	for _, tc := range []struct {
		name, dockerfile string
		want             []bool
	}{
		{"one stage", "FROM busybox\n", []bool{true}},
		{"unused first", "FROM busybox AS a\nFROM busybox\n", []bool{false, true}},
		{"base by name", "FROM busybox AS Base\nFROM base\n", []bool{true, true}},
		{"copy by number", "FROM busybox\nFROM busybox\nCOPY --from=0 /x /x\n",
			[]bool{true, true}},
		{"through a chain", "FROM busybox AS a\nFROM busybox AS b\nCOPY --from=a /x /x\n" +
			"FROM busybox AS c\nFROM b\n", []bool{true, true, false, true}},
		{"name from an ARG", "ARG FROM=a\nFROM busybox AS a\nFROM busybox AS b\n" +
			"FROM busybox\nCOPY --from=${FROM} /x /x\n", []bool{true, false, true}},
		{"an image, not a stage", "FROM busybox AS a\nFROM busybox\n" +
			"COPY --from=busybox /x /x\n", []bool{false, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ast, err := parser.Parse(strings.NewReader(tc.dockerfile))
			require.NoError(t, err)
			stages, metaArgs, err := instructions.Parse(ast.AST, nil)
			require.NoError(t, err)
			d := &dockerfile{job: &job{}, lex: shell.NewLex(ast.EscapeToken),
				metaArgs: map[string]string{}, stages: stages}
			for _, a := range metaArgs {
				require.NoError(t, d.declare(&a, d.metaArgs))
			}
			got, err := d.needed()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// Whatever Dockerfile BuildKit's parser accepts, working out the stages
// it needs neither panics nor names a stage that does not exist.
func FuzzNeededStages(f *testing.F) {
	f.Add("FROM busybox AS a\nFROM a\nCOPY --from=0 /x /x\n")
	f.Add("ARG X=a\nFROM busybox AS a\nFROM busybox\nCOPY --from=$X /x /y\n")
	f.Add("FROM busybox\nCOPY --from=${UNSET:?no} /x /y\n")
	f.Fuzz(func(t *testing.T, text string) {
		ast, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		stages, metaArgs, err := instructions.Parse(ast.AST, nil)
		if err != nil || len(stages) == 0 {
			return
		}
		d := &dockerfile{job: &job{req: Request{}}, lex: shell.NewLex(ast.EscapeToken),
			metaArgs: map[string]string{}, stages: stages}
		for _, a := range metaArgs {
			if d.declare(&a, d.metaArgs) != nil {
				return
			}
		}
		need, err := d.needed()
		if err != nil {
			return
		}
		if len(need) != len(stages) || !need[len(need)-1] {
			t.Fatalf("needed(%q) = %v", text, need)
		}
	})
}
