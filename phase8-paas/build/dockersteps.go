package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// runStep runs a RUN instruction. The shell form goes to the shell
// (/bin/sh -c unless SHELL said otherwise), which expands its
// variables; the ARGs in scope are in its environment.
func (d *dockerfile) runStep(ctx context.Context, text string, c *instructions.RunCommand) error {
	switch {
	case len(c.FlagsUsed) > 0:
		d.begin(text)
		return d.fail(text, fmt.Errorf("RUN --%s is not supported", c.FlagsUsed[0]))
	case len(c.Files) > 0:
		d.begin(text)
		return d.fail(text, errors.New("here-documents are not supported"))
	}
	return d.run(ctx, text, d.argv(c.ShellDependantCmdLine), d.argEnv())
}

// copyStep runs a COPY or ADD instruction: the sources, from the
// source directory only, go into a tar stream, which goes into the
// destination. ADD copies like COPY: no URLs, no unpacking of archives.
func (d *dockerfile) copyStep(ctx context.Context, text string, flags bool,
	sd *instructions.SourcesAndDest, add bool) error {
	l, dir, err := d.collect(sd, add)
	if err == nil && flags {
		err = errors.New("flags (--chown, --chmod, --link, ...) are not supported")
	}
	if err != nil {
		d.begin(text)
		return d.fail(text, err)
	}
	defer l.Close()
	return d.copyFiles(ctx, text, l, dir)
}

// collect puts a COPY's sources in a tar stream laid out as they land
// in the directory it returns: a directory's content, a file under its
// own name or, for one file copied to a path not ending in "/", under
// that path's name.
func (d *dockerfile) collect(sd *instructions.SourcesAndDest, add bool) (
	_ *layerFile, dir string, err error) {
	if len(sd.SourceContents) > 0 {
		return nil, "", errors.New("here-documents are not supported")
	}
	matches, err := d.sources(sd.SourcePaths, add)
	if err != nil {
		return nil, "", err
	}
	dest, toDir := d.destination(sd.DestPath, len(matches))

	l, err := newLayerFile()
	if err != nil {
		return nil, "", err
	}
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	dir = dest
	for _, m := range matches {
		info, err := d.src.root.Lstat(m)
		if err != nil {
			return nil, "", err
		}
		name := path.Base(m)
		switch {
		case info.IsDir():
			name = ""
		case !toDir:
			dir, name = path.Dir(dest), path.Base(dest)
		}
		if err := d.src.add(l, m, name); err != nil {
			return nil, "", err
		}
	}
	return l, dir, l.finish()
}

// destination is where a COPY of n sources to destPath puts them:
// dest, and whether they go into it as a directory (else the one source
// takes dest's name).
func (d *dockerfile) destination(destPath string, n int) (dest string, toDir bool) {
	dest = d.absPath(destPath)
	return dest, strings.HasSuffix(destPath, "/") || n > 1 || destPath == "." || dest == "/"
}

// sources resolves a COPY's source patterns to the files of the source
// directory they name, none of them left out by .dockerignore.
func (d *dockerfile) sources(patterns []string, add bool) ([]string, error) {
	var matches []string
	for _, src := range patterns {
		if add && (strings.Contains(src, "://") || strings.HasPrefix(src, "git@")) {
			return nil, fmt.Errorf("%s: ADD copies local files only", src)
		}
		p, err := sourcePath(src)
		if err != nil {
			return nil, err
		}
		found, err := fs.Glob(d.src.root.FS(), p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		n := len(matches)
		for _, m := range found {
			if skip, err := d.src.ignored(m); err != nil {
				return nil, err
			} else if !skip {
				matches = append(matches, m)
			}
		}
		if len(matches) == n {
			return nil, fmt.Errorf("%s: not in the build context (or left out by"+
				" .dockerignore)", src)
		}
	}
	return matches, nil
}

// argv is the command line of RUN, CMD or ENTRYPOINT: the exec form as
// written, the shell form given to the shell.
func (d *dockerfile) argv(c instructions.ShellDependantCmdLine) []string {
	if !c.PrependShell {
		return slices.Clone(c.CmdLine)
	}
	return append(slices.Clone(d.shell), strings.Join(c.CmdLine, " "))
}

// absPath resolves p against the working directory.
func (d *dockerfile) absPath(p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join("/", d.config.WorkingDir, p)
}

// exposed checks EXPOSE's ports and writes them as PORT/PROTO.
func (d *dockerfile) exposed(ports []string) ([]string, error) {
	var out []string
	for _, p := range ports {
		num, proto, _ := strings.Cut(strings.ToLower(p), "/")
		if proto == "" {
			proto = "tcp"
		}
		n, err := strconv.ParseUint(num, 10, 16)
		if err != nil || n == 0 || (proto != "tcp" && proto != "udp") {
			return nil, fmt.Errorf("EXPOSE %s: want PORT[/tcp|/udp] (ranges are not"+
				" supported)", p)
		}
		out = append(out, fmt.Sprintf("%d/%s", n, proto))
	}
	return out, nil
}

// argEnv is the environment a RUN step gets from the ARGs in scope:
// those that ENV does not set, sorted.
func (d *dockerfile) argEnv() []string {
	env := envMap(d.config.Env, nil)
	var out []string
	for _, k := range slices.Sorted(maps.Keys(d.args)) {
		if _, set := env.vars[k]; !set {
			out = append(out, k+"="+d.args[k])
		}
	}
	return out
}

// expander expands $VAR and ${VAR} in a word with BuildKit's shell
// lexer, from the image's environment and the ARGs in scope (ENV wins).
func (d *dockerfile) expander() instructions.SingleWordExpander {
	env := envMap(d.config.Env, d.args)
	return func(word string) (string, error) { return d.expandWith(word, env) }
}

func (d *dockerfile) expandWith(word string, env *envVars) (string, error) {
	out, _, err := d.lex.ProcessWord(word, env)
	return out, err
}

// envVars is a set of variables for the shell lexer.
type envVars struct {
	vars map[string]string
}

// envMap joins NAME=value pairs and the args under them.
func envMap(env []string, args map[string]string) *envVars {
	e := &envVars{vars: maps.Clone(args)}
	if e.vars == nil {
		e.vars = map[string]string{}
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		e.vars[k] = v
	}
	return e
}

// Get returns a variable's value.
func (e *envVars) Get(name string) (string, bool) {
	v, ok := e.vars[name]
	return v, ok
}

// Keys returns the variables' names.
func (e *envVars) Keys() []string { return slices.Sorted(maps.Keys(e.vars)) }

// setEnv sets NAME=value in env, in place of an earlier value.
func setEnv(env []string, name, value string) []string {
	for i, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == name {
			env[i] = name + "=" + value
			return env
		}
	}
	return append(env, name+"="+value)
}
