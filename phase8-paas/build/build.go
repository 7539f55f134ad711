package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"shibafu.dev/phase7-runtime/client"
)

// The kinds of build, as Result.Kind names them.
const (
	KindDockerfile = "dockerfile"
	KindGo         = "go"
	KindStatic     = "static"
)

// Defaults of a Builder's limits on each build container.
const (
	DefaultMemory = "512m"
	DefaultCPUs   = 1.0
	// buildPids bounds the processes of a build container, so that a
	// fork bomb in a RUN step stays inside it.
	buildPids = 1024
)

// BaseImage is the image that Go and static builds start from: the
// course's busybox, which the runtime makes with `build-base`.
const BaseImage = "busybox"

// ErrUnknownKind means the source is none of the kinds the builder
// knows: no Dockerfile, no go.mod, no index.html.
var ErrUnknownKind = errors.New("cannot tell how to build")

// Builder builds images through a runtime daemon. Runtime must be set;
// the other fields have defaults.
type Builder struct {
	// Runtime is the phase 7 daemon's client.
	Runtime *client.Client
	// Memory limits each build container ("512m" by default), CPUs its
	// CPU time (1 CPU by default).
	Memory string
	CPUs   float64
	// GoRoot is the host's Go toolchain, mounted read-only into Go
	// build containers; empty means what `go env GOROOT` says.
	GoRoot string
	// GoCache, if set, is a host directory that every app's Go builds
	// share as their build and module cache (bind-mounted read-write).
	// Empty means a named volume per app, go-APP, so that one app's
	// build cannot plant objects in another's.
	GoCache string
	// GoModules, if set, lets Go builds take the modules they need from
	// the host's module cache (`go env GOMODCACHE`): its download
	// directory, which is laid out as a module proxy, is mounted
	// read-only and named by GOPROXY. Only modules the host has
	// downloaded can be had, and every app's build can read all of them.
	// Unset, builds have no module proxy: the standard library and
	// vendored modules only.
	GoModules bool
	// Network is the network build containers join; empty means the
	// daemon's default.
	Network string
}

// Request is one build.
type Request struct {
	// App names the application; it names the build cache too, so it
	// must be a lower-case DNS label.
	App string
	// Dir is the host directory holding the source.
	Dir string
	// Tag is the name the result gets, such as "paas/APP:build-7".
	Tag string
	// BuildArgs set the Dockerfile's ARGs, like `docker build
	// --build-arg`; an ARG not set here takes its default.
	BuildArgs map[string]string
	// Log receives the build's log: one line per step ("Step 2/7 :
	// RUN ..."), the output of RUN steps, and "Using cache" for each
	// step found in the cache. Nil discards it.
	Log io.Writer
}

// Result is a built image.
type Result struct {
	// Image is the image's name (Request.Tag) and Digest its manifest
	// digest.
	Image  string
	Digest string
	// Kind is how it was built: KindDockerfile, KindGo or KindStatic.
	Kind string
	// Processes are the app's process types and their full command
	// lines: the Procfile's entries as `sh -c LINE`, or without a
	// Procfile "web" alone, the image's entrypoint and cmd. Start one
	// with RunRequest.Entrypoint set to it.
	Processes map[string][]string
	// Port is the lowest TCP port the image EXPOSEs, or 0 when it
	// exposes none and is expected to listen on $PORT.
	Port int
	// CacheRefs name the build-cache images the build made or used, so
	// that the caller can tell which cache entries are still of use.
	CacheRefs []string
}

// StepError tells which step of a build failed and why.
type StepError struct {
	// Step counts from 1 to Total.
	Step, Total int
	// Instruction is the step as the log shows it.
	Instruction string
	Err         error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %d/%d (%s): %v", e.Step, e.Total, e.Instruction, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// appName is what Request.App must look like.
var appName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$`)

// Build builds the source in req.Dir and names the image req.Tag. A
// failed build leaves no container behind and does not create req.Tag;
// the steps that did succeed stay in the cache.
func (b *Builder) Build(ctx context.Context, req Request) (*Result, error) {
	if b.Runtime == nil {
		return nil, errors.New("build: no runtime client")
	}
	if !appName.MatchString(req.App) {
		return nil, fmt.Errorf("build: app name %q: want a lower-case DNS label", req.App)
	}
	if req.Tag == "" {
		return nil, errors.New("build: no tag to name the image")
	}
	if req.Log == nil {
		req.Log = io.Discard
	}
	kind, err := detect(req.Dir)
	if err != nil {
		return nil, err
	}
	procs, err := readProcfile(req.Dir)
	if err != nil {
		return nil, err
	}
	src, err := openContext(req.Dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()

	j := &job{b: b, req: req, src: src, shell: defaultShell()}
	switch kind {
	case KindDockerfile:
		err = j.dockerfile(ctx)
	case KindGo:
		err = j.goModule(ctx)
	case KindStatic:
		err = j.staticSite(ctx)
	}
	if err != nil {
		return nil, err
	}
	return j.finish(ctx, kind, procs)
}

// finish names the last step's image req.Tag and describes it.
func (j *job) finish(ctx context.Context, kind string, procs map[string][]string) (
	*Result, error) {
	if err := j.b.Runtime.Tag(ctx, j.image, j.req.Tag); err != nil {
		return nil, fmt.Errorf("build: name the image %s: %w", j.req.Tag, err)
	}
	fmt.Fprintf(j.req.Log, "Successfully built %.19s\nSuccessfully tagged %s\n",
		j.image, j.req.Tag)
	if procs == nil {
		procs = map[string][]string{}
		if argv := slices.Concat(j.config.Entrypoint, j.config.Cmd); len(argv) > 0 {
			procs["web"] = argv
		}
	}
	return &Result{Image: j.req.Tag, Digest: j.image, Kind: kind, Processes: procs,
		Port: lowestTCPPort(j.config.ExposedPorts), CacheRefs: j.used}, nil
}

// detect tells how to build the source in dir.
func detect(dir string) (string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("build: source: %w", err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("build: source %s: not a directory", dir)
	}
	switch {
	case isFile(filepath.Join(dir, "Dockerfile")):
		return KindDockerfile, nil
	case isFile(filepath.Join(dir, "go.mod")):
		return KindGo, nil
	case isFile(filepath.Join(dir, "index.html")),
		isFile(filepath.Join(dir, "public", "index.html")):
		return KindStatic, nil
	}
	return "", fmt.Errorf("build: %w: no Dockerfile, go.mod, index.html or public/index.html"+
		" in the source", ErrUnknownKind)
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// lowestTCPPort returns the lowest of "PORT/tcp" ports, or 0.
func lowestTCPPort(ports []string) int {
	lowest := 0
	for _, p := range ports {
		num, proto, _ := strings.Cut(p, "/")
		n, err := strconv.Atoi(num)
		if err != nil || (proto != "" && proto != "tcp") {
			continue
		}
		if lowest == 0 || n < lowest {
			lowest = n
		}
	}
	return lowest
}

// defaultShell runs the shell form of RUN, CMD and ENTRYPOINT until a
// SHELL instruction says otherwise.
func defaultShell() []string { return []string{"/bin/sh", "-c"} }
