package build

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"shibafu.dev/phase7-runtime/api"
)

// dockerfile is a Dockerfile build under way: the job, with the
// variables the Dockerfile's steps see.
type dockerfile struct {
	*job
	lex *shell.Lex
	// metaArgs are the ARGs declared before the first FROM, args those
	// of the stage so far (both after --build-arg values).
	metaArgs, args map[string]string
	// cmdSet tells that the stage set CMD itself, which a later
	// ENTRYPOINT then keeps.
	cmdSet bool
	// stages are the Dockerfile's stages, built is what each made, nil
	// for those not built (yet).
	stages []instructions.Stage
	built  []*builtStage
	cur    int // the stage being built
}

// builtStage is what a finished stage of a multi-stage build made, for
// the FROM and COPY --from of the stages after it.
type builtStage struct {
	image  string // its image's digest
	config api.ImageConfig
}

// dockerfile builds the source's Dockerfile, parsed by BuildKit's
// parser and turned into typed instructions by its instructions
// package; this builder only runs them. The stages the last one needs
// are built, in order (as BuildKit does; Docker's classic builder built
// them all), and the image is the last stage's.
func (j *job) dockerfile(ctx context.Context) error {
	data, err := j.src.readFile("Dockerfile")
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	ast, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("build: Dockerfile: %w", err)
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return fmt.Errorf("build: Dockerfile: %w", err)
	}
	if len(stages) == 0 {
		return errors.New("build: Dockerfile: no FROM")
	}

	d := &dockerfile{job: j, lex: shell.NewLex(ast.EscapeToken), metaArgs: map[string]string{}}
	for _, a := range metaArgs {
		if err := d.declare(&a, d.metaArgs); err != nil {
			return fmt.Errorf("build: Dockerfile: %s: %w", a.String(), err)
		}
	}
	d.stages, d.built = stages, make([]*builtStage, len(stages))
	need, err := d.needed()
	if err != nil {
		return fmt.Errorf("build: Dockerfile: %w", err)
	}
	for i, st := range stages {
		if need[i] {
			j.total += 1 + len(st.Commands)
		}
	}
	for i, st := range stages {
		if !need[i] {
			fmt.Fprintf(j.req.Log, "Skipping stage %d (%s): the image does not need it\n",
				i, cmp.Or(st.Name, "unnamed"))
			continue
		}
		if err := d.stage(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// needed tells which stages the last one needs: itself, the stage it
// starts FROM and those it copies from, and theirs in turn. A stage
// can only name stages before it, so one pass from the last to the
// first finds them all.
func (d *dockerfile) needed() ([]bool, error) {
	need := make([]bool, len(d.stages))
	need[len(need)-1] = true
	for i := len(d.stages) - 1; i >= 0; i-- {
		if !need[i] {
			continue
		}
		refs := []string{d.stages[i].BaseName}
		for _, cmd := range d.stages[i].Commands {
			if c, ok := cmd.(*instructions.CopyCommand); ok && c.From != "" {
				refs = append(refs, c.From)
			}
		}
		for n, word := range refs {
			ref, err := d.expandWith(word, envMap(nil, d.metaArgs))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", word, err)
			}
			if dep := d.stageIndex(ref, n > 0, i); dep >= 0 {
				need[dep] = true
			}
		}
	}
	return need, nil
}

// stageIndex returns the index of the stage before stage before that
// ref names by its name (in any case) or, if byNumber (as COPY --from
// allows), its number; or -1.
func (d *dockerfile) stageIndex(ref string, byNumber bool, before int) int {
	for i, st := range d.stages[:before] {
		if st.Name != "" && st.Name == strings.ToLower(ref) {
			return i
		}
	}
	if n, err := strconv.Atoi(ref); byNumber && err == nil && n >= 0 && n < before {
		return n
	}
	return -1
}

// stage builds stage i: from its base (an image, or an earlier stage by
// name), each of its instructions in turn.
func (d *dockerfile) stage(ctx context.Context, i int) error {
	st := d.stages[i]
	d.cur = i
	d.args, d.cmdSet, d.shell = map[string]string{}, false, defaultShell()
	base, err := d.expandWith(st.BaseName, envMap(nil, d.metaArgs))
	if err != nil {
		return fmt.Errorf("build: Dockerfile: FROM %s: %w", st.BaseName, err)
	}
	if prev := d.stageBuilt(base, false, i); prev != nil {
		d.begin("FROM " + base)
		d.image, d.config = prev.image, cloneConfig(prev.config)
		fmt.Fprintf(d.req.Log, " ---> %.19s\n", d.image)
	} else if base == "scratch" {
		if err := d.scratch(ctx); err != nil {
			return err
		}
	} else if err := d.from(ctx, base); err != nil {
		return err
	}
	for _, cmd := range st.Commands {
		if err := d.dispatch(ctx, cmd); err != nil {
			return err
		}
	}
	d.built[i] = &builtStage{image: d.image, config: d.config}
	return nil
}

// stageBuilt returns what the stage before stage before that ref names
// (see stageIndex) made, or nil if ref names no stage.
func (d *dockerfile) stageBuilt(ref string, byNumber bool, before int) *builtStage {
	if i := d.stageIndex(ref, byNumber, before); i >= 0 {
		return d.built[i] // built: needed makes sure of it
	}
	return nil
}

// declare records an ARG in scope: its value is the build argument of
// its name if given, else its default, else (in a stage) the value of
// the ARG of that name declared before FROM.
func (d *dockerfile) declare(a *instructions.ArgCommand, scope map[string]string) error {
	if err := a.Expand(d.expander()); err != nil {
		return err
	}
	for _, kv := range a.Args {
		v, given := d.req.BuildArgs[kv.Key]
		switch {
		case given:
		case kv.Value != nil:
			v = *kv.Value
		default:
			var ok bool
			if v, ok = d.metaArgs[kv.Key]; !ok {
				continue
			}
		}
		scope[kv.Key] = v
	}
	return nil
}

// dispatch runs one instruction of the stage.
func (d *dockerfile) dispatch(ctx context.Context, cmd instructions.Command) error {
	text := fmt.Sprint(cmd)
	if e, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
		if _, isRun := cmd.(*instructions.RunCommand); !isRun {
			if err := e.Expand(d.expander()); err != nil {
				d.begin(text)
				return d.fail(text, err)
			}
		}
	}
	switch c := cmd.(type) {
	case *instructions.RunCommand:
		return d.runStep(ctx, text, c)
	case *instructions.CopyCommand:
		flags := c.Chown != "" || c.Chmod != "" || c.Link || c.Parents ||
			len(c.ExcludePatterns) > 0
		if c.From != "" && !flags {
			return d.copyFrom(ctx, text, c.From, &c.SourcesAndDest)
		}
		return d.copyStep(ctx, text, flags, &c.SourcesAndDest, false)
	case *instructions.AddCommand:
		return d.copyStep(ctx, text, c.Chown != "" || c.Chmod != "" || c.Link ||
			c.Checksum != "" || c.KeepGitDir != nil || c.Unpack != nil ||
			len(c.ExcludePatterns) > 0, &c.SourcesAndDest, true)
	case *instructions.ArgCommand:
		d.begin(text)
		return d.wrap(text, d.declare(c, d.args))
	case *instructions.ShellCommand:
		d.begin(text)
		d.shell = c.Shell
		return nil
	case *instructions.MaintainerCommand, *instructions.StopSignalCommand,
		*instructions.VolumeCommand, *instructions.HealthCheckCommand,
		*instructions.OnbuildCommand:
		d.begin(text)
		fmt.Fprintf(d.req.Log, " ---> Skipped: %s is not supported by Shibafu's builder\n",
			strings.ToUpper(cmd.Name()))
		return nil
	}
	change, err := d.configChange(cmd)
	if err != nil {
		d.begin(text)
		return d.fail(text, err)
	}
	return d.setConfig(ctx, text, change)
}

// configChange returns how a step that changes only the image's
// settings changes them.
func (d *dockerfile) configChange(cmd instructions.Command) (func(*api.ImageConfig), error) {
	switch c := cmd.(type) {
	case *instructions.EnvCommand:
		return func(cfg *api.ImageConfig) {
			for _, kv := range c.Env {
				cfg.Env = setEnv(cfg.Env, kv.Key, kv.Value)
			}
		}, nil
	case *instructions.LabelCommand:
		return func(cfg *api.ImageConfig) {
			if cfg.Labels == nil {
				cfg.Labels = map[string]string{}
			}
			for _, kv := range c.Labels {
				cfg.Labels[kv.Key] = kv.Value
			}
		}, nil
	case *instructions.WorkdirCommand:
		dir := d.absPath(c.Path)
		return func(cfg *api.ImageConfig) { cfg.WorkingDir = dir }, nil
	case *instructions.UserCommand:
		return func(cfg *api.ImageConfig) { cfg.User = c.User }, nil
	case *instructions.ExposeCommand:
		ports, err := d.exposed(c.Ports)
		return func(cfg *api.ImageConfig) {
			for _, p := range ports {
				if !slices.Contains(cfg.ExposedPorts, p) {
					cfg.ExposedPorts = append(cfg.ExposedPorts, p)
				}
			}
			slices.Sort(cfg.ExposedPorts)
		}, err
	case *instructions.CmdCommand:
		argv := d.argv(c.ShellDependantCmdLine)
		d.cmdSet = true
		return func(cfg *api.ImageConfig) { cfg.Cmd = argv }, nil
	case *instructions.EntrypointCommand:
		argv := d.argv(c.ShellDependantCmdLine)
		return func(cfg *api.ImageConfig) {
			cfg.Entrypoint = argv
			if !d.cmdSet {
				cfg.Cmd = nil // like docker: the base image's CMD goes
			}
		}, nil
	}
	return nil, fmt.Errorf("%s is not supported by Shibafu's builder",
		strings.ToUpper(cmd.Name()))
}
