package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
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
	// metaArgs are the ARGs declared before FROM, args those of the
	// stage so far (both after --build-arg values).
	metaArgs, args map[string]string
	// cmdSet tells that the Dockerfile set CMD itself, which a later
	// ENTRYPOINT then keeps.
	cmdSet bool
}

// dockerfile builds the source's Dockerfile, parsed by BuildKit's
// parser and turned into typed instructions by its instructions
// package; this builder only runs them.
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
	switch {
	case len(stages) == 0:
		return errors.New("build: Dockerfile: no FROM")
	case len(stages) > 1:
		return fmt.Errorf("build: Dockerfile: %d stages: multi-stage builds are not"+
			" supported", len(stages))
	}

	d := &dockerfile{job: j, lex: shell.NewLex(ast.EscapeToken),
		metaArgs: map[string]string{}, args: map[string]string{}}
	for _, a := range metaArgs {
		if err := d.declare(&a, d.metaArgs); err != nil {
			return fmt.Errorf("build: Dockerfile: %s: %w", a.String(), err)
		}
	}
	stage := stages[0]
	j.total = 1 + len(stage.Commands)
	base, err := d.expandWith(stage.BaseName, envMap(nil, d.metaArgs))
	if err != nil {
		return fmt.Errorf("build: Dockerfile: FROM %s: %w", stage.BaseName, err)
	}
	if base == "scratch" {
		return errors.New("build: Dockerfile: FROM scratch is not supported")
	}
	if err := j.from(ctx, base); err != nil {
		return err
	}
	for _, cmd := range stage.Commands {
		if err := d.dispatch(ctx, cmd); err != nil {
			return err
		}
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
		return d.copyStep(ctx, text, c.From != "" || c.Chown != "" || c.Chmod != "" ||
			c.Link || c.Parents || len(c.ExcludePatterns) > 0, &c.SourcesAndDest, false)
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
