package build

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"shibafu.dev/phase8-paas/paastest"
)

// A Go module that needs a module from outside the standard library
// builds when the Builder shares the host's module cache, and fails,
// naming the reason, when it does not. The module is spf13/pflag, which
// this package's own build has put in the host's cache, at the version
// and with the go.sum lines of this repository.
func TestGoModulesFromHostCache(t *testing.T) {
	r := paastest.StartRuntime(t)
	version, sums := requirement(t, "github.com/spf13/pflag")
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/flags\n\ngo 1.22\n\n" +
			"require github.com/spf13/pflag " + version + "\n",
		"go.sum": sums,
		"main.go": `package main

import (
	"fmt"

	"github.com/spf13/pflag"
)

func main() {
	name := pflag.String("name", "a module from the host's cache", "who says hello")
	pflag.Parse()
	fmt.Println("hello from", *name)
}
`,
	})
	ctx := context.Background()
	var log bytes.Buffer
	b := &Builder{Runtime: r.Client}
	_, err := b.Build(ctx, Request{App: "nomods", Dir: dir, Tag: "paas/nomods:1", Log: &log})
	require.Error(t, err, "without the host's modules there is no module proxy")
	assert.Contains(t, log.String(), "GOPROXY=off")

	log.Reset()
	b.GoModules = true
	res, err := b.Build(ctx, Request{App: "mods", Dir: dir, Tag: "paas/mods:1", Log: &log})
	require.NoError(t, err, log.String())
	assert.Contains(t, log.String(), "modules from the host's cache")
	assert.Contains(t, log.String(), "go: downloading github.com/spf13/pflag "+version,
		"fetched through the file proxy")
	assert.Equal(t, "hello from a module from the host's cache\n", output(t, r.Client, res.Image))
}

// requirement returns the version of module mod that ../go.mod
// requires, and its lines of ../go.sum.
func requirement(t *testing.T, mod string) (version, sums string) {
	t.Helper()
	gomod, err := os.ReadFile("../go.mod")
	require.NoError(t, err)
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == mod {
			version = f[1]
		}
	}
	require.NotEmpty(t, version, "%s is not required by ../go.mod", mod)
	gosum, err := os.ReadFile("../go.sum")
	require.NoError(t, err)
	for _, line := range strings.Split(string(gosum), "\n") {
		if strings.HasPrefix(line, mod+" "+version+" ") ||
			strings.HasPrefix(line, mod+" "+version+"/go.mod ") {
			sums += line + "\n"
		}
	}
	return version, sums
}
