package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

// job is one build under way: the image the steps so far have made and
// its settings, which the next step starts from.
type job struct {
	b   *Builder
	req Request
	src *buildContext

	// image is the current image's manifest digest, config its
	// settings.
	image  string
	config api.ImageConfig
	// shell runs the shell form of RUN, CMD and ENTRYPOINT.
	shell []string
	// step counts the steps begun, of total.
	step, total int
	// used names the cache images of the steps, for Result.CacheRefs.
	used []string
}

// begin logs the start of the next step.
func (j *job) begin(text string) {
	j.step++
	fmt.Fprintf(j.req.Log, "Step %d/%d : %s\n", j.step, j.total, text)
}

// fail wraps err as the failure of the current step.
func (j *job) fail(text string, err error) error {
	if len(text) > 80 {
		text = text[:77] + "..."
	}
	return &StepError{Step: j.step, Total: j.total, Instruction: text, Err: err}
}

// cacheKey hashes what decides a step's result: its parent image and
// the parts given (the step's text after expansion, and the hash of
// copied files).
func cacheKey(parent string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(parent))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheRef names the image of a step's result in the cache, and notes
// that this build uses it.
func (j *job) cacheRef(key string) string {
	ref := CachePrefix(j.req.App) + key
	if !slices.Contains(j.used, ref) {
		j.used = append(j.used, ref)
	}
	return ref
}

// CachePrefix starts the names of an app's images in the build cache.
func CachePrefix(app string) string { return "build-cache/" + app + ":" }

// cached looks for a step's result in the cache. Found, it becomes the
// current image.
func (j *job) cached(ctx context.Context, key string) (bool, error) {
	img, err := j.b.Runtime.InspectImage(ctx, j.cacheRef(key))
	if errors.Is(err, api.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	fmt.Fprintln(j.req.Log, " ---> Using cache")
	j.use(img)
	return true, nil
}

// use makes img the current image.
func (j *job) use(img *api.ImageDetail) {
	j.image, j.config = img.Digest, img.Config
	fmt.Fprintf(j.req.Log, " ---> %.19s\n", img.Digest)
}

// from starts from the image ref.
func (j *job) from(ctx context.Context, ref string) error {
	j.begin("FROM " + ref)
	img, err := j.findImage(ctx, ref)
	if err != nil {
		return j.fail("FROM "+ref, err)
	}
	j.use(img)
	return nil
}

// scratch starts from an empty image, as FROM scratch does. The runtime
// has no image without a layer, so it is an image of one empty layer,
// imported once per app and kept with the app's build cache: the same
// image each time, so the steps after it are found in the cache.
func (j *job) scratch(ctx context.Context) error {
	const text = "FROM scratch"
	j.begin(text)
	ref := j.cacheRef("scratch")
	img, err := j.b.Runtime.InspectImage(ctx, ref)
	if errors.Is(err, api.ErrNotFound) {
		if _, err = j.b.Runtime.ImportImage(ctx, ref, emptyTar()); err == nil {
			img, err = j.b.Runtime.InspectImage(ctx, ref)
		}
	}
	if err != nil {
		return j.fail(text, err)
	}
	j.use(img)
	return nil
}

// findImage finds the image ref: one of the daemon's, else pulled from the
// registry its name names.
func (j *job) findImage(ctx context.Context, ref string) (*api.ImageDetail, error) {
	img, err := j.b.Runtime.InspectImage(ctx, ref)
	if errors.Is(err, api.ErrNotFound) && strings.Contains(ref, "/") {
		fmt.Fprintf(j.req.Log, "Pulling %s\n", ref)
		if _, err = j.b.Runtime.Pull(ctx, ref, nil); err == nil {
			img, err = j.b.Runtime.InspectImage(ctx, ref)
		}
	}
	return img, err
}

// setConfig is a step that changes only the settings: a new image of
// the same layers (no container runs).
func (j *job) setConfig(ctx context.Context, text string, change func(*api.ImageConfig)) error {
	j.begin(text)
	cfg := cloneConfig(j.config)
	change(&cfg)
	data, err := json.Marshal(cfg)
	if err != nil {
		return j.fail(text, err)
	}
	key := cacheKey(j.image, "config", string(data))
	if ok, err := j.cached(ctx, key); ok || err != nil {
		return j.wrap(text, err)
	}
	img, err := j.b.Runtime.TagWithConfig(ctx, j.image, j.cacheRef(key), cfg)
	if err != nil {
		return j.fail(text, err)
	}
	j.image, j.config = img.Digest, cfg
	fmt.Fprintf(j.req.Log, " ---> %.19s\n", img.Digest)
	return nil
}

// wrap is fail for a possibly nil error.
func (j *job) wrap(text string, err error) error {
	if err == nil {
		return nil
	}
	return j.fail(text, err)
}

// run is a RUN step: argv runs in a container of the current image,
// with env added to its environment, and what it changed becomes a
// layer. A non-zero exit fails the step.
func (j *job) run(ctx context.Context, text string, argv, env []string) error {
	j.begin(text)
	argvJSON, _ := json.Marshal(argv)
	envJSON, _ := json.Marshal(env)
	key := cacheKey(j.image, "run", string(argvJSON), string(envJSON))
	if ok, err := j.cached(ctx, key); ok || err != nil {
		return j.wrap(text, err)
	}
	req := j.containerRequest(argv)
	req.Env = env
	return j.wrap(text, j.runAndCommit(ctx, req, key, text))
}

// containerRequest is a build container of the current image that runs
// argv, whatever the image's entrypoint, under the builder's limits.
func (j *job) containerRequest(argv []string) api.RunRequest {
	req := api.RunRequest{
		Image:      j.image,
		Entrypoint: argv,
		Memory:     orDefault(j.b.Memory, DefaultMemory),
		CPUs:       j.b.CPUs,
		PidsLimit:  buildPids,
		Labels:     map[string]string{"shibafu.build": j.req.App},
	}
	if req.CPUs == 0 {
		req.CPUs = DefaultCPUs
	}
	if j.b.Network != "" {
		req.Networks = []string{j.b.Network}
	}
	return req
}

// runAndCommit runs a build container to its end, its output going to
// the log, and commits it as the cache's image for key.
func (j *job) runAndCommit(ctx context.Context, req api.RunRequest, key, text string) (
	err error) {
	ctr, err := j.b.Runtime.Run(ctx, req)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, j.remove(ctx, ctr.ID)) }()
	if err := j.wait(ctx, ctr.ID); err != nil {
		return err
	}
	return j.commit(ctx, ctr.ID, key, text)
}

// wait follows a started container's output into the log until it
// exits, and fails unless it exited with 0.
func (j *job) wait(ctx context.Context, id string) error {
	w := j.req.Log
	err := j.b.Runtime.Logs(ctx, id, runLogOptions, w, w)
	if err != nil {
		return fmt.Errorf("follow output: %w", err)
	}
	res, err := j.b.Runtime.Wait(ctx, id)
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	switch {
	case res.OOMKilled:
		return fmt.Errorf("killed for using more than %s of memory (exit code %d)",
			orDefault(j.b.Memory, DefaultMemory), res.ExitCode)
	case res.ExitCode != 0:
		return fmt.Errorf("the command returned a non-zero code: %d", res.ExitCode)
	}
	return nil
}

// commit makes the container's changes the cache's image for key, and
// the current image.
func (j *job) commit(ctx context.Context, id, key, text string) error {
	img, err := j.b.Runtime.Commit(ctx, id, j.cacheRef(key), text)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	j.image = img.Digest
	fmt.Fprintf(j.req.Log, " ---> %.19s\n", img.Digest)
	return nil
}

// copyFiles is a COPY step: the tar stream l goes into the directory
// dir of a created (never started) container of the current image,
// which is then committed as a layer.
func (j *job) copyFiles(ctx context.Context, text string, l *layerFile, dir string) error {
	j.begin(text)
	key := cacheKey(j.image, "copy", text, dir, l.hash)
	if ok, err := j.cached(ctx, key); ok || err != nil {
		return j.wrap(text, err)
	}
	return j.wrap(text, j.copyAndCommit(ctx, l, dir, key, text))
}

func (j *job) copyAndCommit(ctx context.Context, r io.Reader, dir, key, text string) (
	err error) {
	ctr, err := j.b.Runtime.Create(ctx, j.containerRequest([]string{"/bin/true"}))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, j.remove(ctx, ctr.ID)) }()
	if err := j.b.Runtime.CopyToDir(ctx, ctr.ID, dir, r); err != nil {
		return fmt.Errorf("copy into %s: %w", dir, err)
	}
	return j.commit(ctx, ctr.ID, key, text)
}

// remove removes a build container, even when ctx has ended.
func (j *job) remove(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := j.b.Runtime.Remove(ctx, id, true); err != nil {
		return fmt.Errorf("remove build container %s: %w", id, err)
	}
	return nil
}

// runLogOptions follow a build container's whole output.
var runLogOptions = client.LogOptions{Follow: true, Tail: -1}

func cloneConfig(c api.ImageConfig) api.ImageConfig {
	c.Env = slices.Clone(c.Env)
	c.Cmd = slices.Clone(c.Cmd)
	c.Entrypoint = slices.Clone(c.Entrypoint)
	c.ExposedPorts = slices.Clone(c.ExposedPorts)
	c.Labels = maps.Clone(c.Labels)
	return c
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
