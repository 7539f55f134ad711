package build

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"shibafu.dev/phase7-runtime/api"
)

// Where a Go build container has what it needs.
const (
	goRootMount = "/usr/local/go"
	goCacheDir  = "/cache"
	goSrcDir    = "/src"
	goOutDir    = "/out"
	// goProxyMount holds the host's module downloads, if they are shared.
	goProxyMount = "/goproxy"
	// GoBinary is where a Go app's program is in its image.
	GoBinary = "/app/server"
)

// goModule builds a Go module: the host's toolchain compiles it in a
// build container of the base image, and the program alone goes on the
// base image, run as the image's command.
func (j *job) goModule(ctx context.Context) error {
	j.total = 3
	if err := j.from(ctx, BaseImage); err != nil {
		return err
	}
	if err := j.goCompile(ctx); err != nil {
		return err
	}
	return j.setConfig(ctx, `CMD ["`+GoBinary+`"]`, func(cfg *api.ImageConfig) {
		cfg.Cmd, cfg.Entrypoint = []string{GoBinary}, nil
		cfg.WorkingDir = filepath.Dir(GoBinary)
	})
}

// goCompile is the step that compiles the module and makes a layer of
// the program. Its cache key is the Go version and the source.
func (j *job) goCompile(ctx context.Context) (err error) {
	text := "RUN go build -o " + GoBinary + " ."
	j.begin(text)
	tc, err := j.b.toolchain(ctx)
	if err != nil {
		return j.fail(text, err)
	}
	fmt.Fprintf(j.req.Log, " ---> with the host's %s, mounted read-only from %s\n",
		tc.version, tc.goroot)
	if tc.modules != "" {
		fmt.Fprintf(j.req.Log, " ---> modules from the host's cache, mounted read-only"+
			" from %s\n", tc.modules)
	}
	src, err := newLayerFile()
	if err != nil {
		return j.fail(text, err)
	}
	defer src.Close()
	if err := j.src.add(src, ".", ""); err != nil {
		return j.fail(text, err)
	}
	if err := src.finish(); err != nil {
		return j.fail(text, err)
	}
	key := cacheKey(j.image, "go", tc.version, runtime.GOARCH, src.hash)
	if ok, err := j.cached(ctx, key); ok || err != nil {
		return j.wrap(text, err)
	}
	return j.wrap(text, j.compile(ctx, tc, src, key, text))
}

// compile runs `go build` in a build container holding the source,
// then copies the program out of it into a layer on the base image.
func (j *job) compile(ctx context.Context, tc *toolchain, src *layerFile, key, text string) (
	err error) {
	req := j.containerRequest([]string{goRootMount + "/bin/go", "build", "-trimpath",
		"-buildvcs=false", "-o", goOutDir + "/server", "."})
	req.WorkingDir = goSrcDir
	req.Env = []string{
		"PATH=" + goRootMount + "/bin:/bin:/sbin:/usr/bin:/usr/sbin",
		"CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod",
		"GOTELEMETRY=off", "HOME=/tmp",
		"GOCACHE=" + goCacheDir + "/build", "GOPATH=" + goCacheDir + "/path",
	}
	cache := "go-" + j.req.App
	if j.b.GoCache != "" {
		cache = j.b.GoCache
	}
	req.Volumes = []string{tc.goroot + ":" + goRootMount + ":ro", cache + ":" + goCacheDir}
	if tc.modules != "" {
		// The host's go verified these files against go.sum and the
		// checksum database when it downloaded them; go.sum is still
		// checked, but the database cannot be reached from here.
		req.Env = append(req.Env, "GOPROXY=file://"+goProxyMount, "GOSUMDB=off")
		req.Volumes = append(req.Volumes, tc.modules+":"+goProxyMount+":ro")
	} else {
		req.Env = append(req.Env, "GOPROXY=off")
	}
	ctr, err := j.b.Runtime.Create(ctx, req)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, j.remove(ctx, ctr.ID)) }()
	if err := j.b.Runtime.CopyToDir(ctx, ctr.ID, goSrcDir, src); err != nil {
		return fmt.Errorf("copy the source in: %w", err)
	}
	if err := j.b.Runtime.CopyToDir(ctx, ctr.ID, goOutDir, emptyTar()); err != nil {
		return fmt.Errorf("make %s: %w", goOutDir, err)
	}
	if err := j.b.Runtime.Start(ctx, ctr.ID); err != nil {
		return err
	}
	if err := j.wait(ctx, ctr.ID); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	bin, err := j.b.Runtime.CopyFrom(ctx, ctr.ID, goOutDir+"/server")
	if err != nil {
		return fmt.Errorf("copy the program out: %w", err)
	}
	defer bin.Close()
	return j.copyAndCommit(ctx, bin, filepath.Dir(GoBinary), key, text)
}

// emptyTar is a tar stream of no entries.
func emptyTar() *bytes.Buffer {
	var buf bytes.Buffer
	tar.NewWriter(&buf).Close()
	return &buf
}

// toolchain is the host's Go toolchain, as build containers see it.
type toolchain struct {
	goroot, version string
	// modules is the download directory of the host's module cache, if
	// Builder.GoModules shares it.
	modules string
}

// toolchain finds the Go toolchain to mount, its GOROOT and version,
// and checks that its programs are statically linked: the busybox build
// container has no dynamic loader or C library to run them with.
func (b *Builder) toolchain(ctx context.Context) (*toolchain, error) {
	goBin := "go"
	if b.GoRoot != "" {
		goBin = filepath.Join(b.GoRoot, "bin", "go")
	}
	out, err := exec.CommandContext(ctx, goBin, "env", "GOROOT", "GOVERSION",
		"GOMODCACHE").Output()
	if err != nil {
		return nil, fmt.Errorf("find the Go toolchain (%s env): %w", goBin, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") // one per name
	if len(lines) != 3 {
		return nil, fmt.Errorf("find the Go toolchain: %s env said %q", goBin, out)
	}
	tc := &toolchain{goroot: lines[0], version: lines[1]}
	tools := filepath.Join(tc.goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH)
	for _, p := range []string{filepath.Join(tc.goroot, "bin", "go"),
		filepath.Join(tools, "compile"), filepath.Join(tools, "link"),
		filepath.Join(tools, "asm")} {
		if err := checkStatic(p); err != nil {
			return nil, err
		}
	}
	if b.GoModules && lines[2] != "" {
		dl := filepath.Join(lines[2], "cache", "download")
		if info, err := os.Stat(dl); err == nil && info.IsDir() {
			tc.modules = dl
		}
	}
	return tc, nil
}

// ErrDynamicToolchain means the host's Go toolchain needs a dynamic
// loader, which the build container does not have.
var ErrDynamicToolchain = errors.New("the Go toolchain is not statically linked")

// checkStatic fails if the ELF program at p asks for a dynamic loader
// (has a PT_INTERP program header).
func checkStatic(p string) error {
	f, err := elf.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("find the Go toolchain: %w", err)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return fmt.Errorf("%w: %s needs a dynamic loader, which the busybox build"+
				" container does not have; use a toolchain from go.dev/dl, whose"+
				" programs are static, or set Builder.GoRoot to one", ErrDynamicToolchain, p)
		}
	}
	return nil
}
