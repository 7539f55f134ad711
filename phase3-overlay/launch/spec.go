package launch

import (
	"fmt"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase3-overlay/image"
)

// Spec returns the runtime spec for a container of img, following the
// image-spec's conversion rules: the process is the Entrypoint followed
// by args (or by the image's Cmd when args is empty); the environment is
// the image's Env with env applied over it, name by name; the working
// directory and user come from the config. A user must be numeric
// ("UID" or "UID:GID"): names would need the image's /etc/passwd.
func Spec(img *image.Image, args, env []string) (*specs.Spec, error) {
	cfg := img.Config.Config
	if len(args) == 0 {
		args = cfg.Cmd
	}
	argv := append(append([]string{}, cfg.Entrypoint...), args...)
	if len(argv) == 0 {
		return nil, fmt.Errorf("image %s: no command to run (no Entrypoint, Cmd or args)", img.Ref)
	}
	opts := bundle.Options{Args: argv, Cwd: cfg.WorkingDir}
	if cfg.User != "" {
		var err error
		if opts.UID, opts.GID, err = bundle.ParseUser(cfg.User); err != nil {
			return nil, fmt.Errorf("image %s: %w", img.Ref, err)
		}
	}
	spec, err := bundle.Spec(opts)
	if err != nil {
		return nil, err
	}
	spec.Process.Env = mergeEnv(spec.Process.Env, cfg.Env, env)
	return spec, nil
}

// mergeEnv joins NAME=value lists; a later list's value for a name
// replaces an earlier one in place.
func mergeEnv(lists ...[]string) []string {
	var out []string
	index := map[string]int{}
	for _, list := range lists {
		for _, kv := range list {
			name, _, _ := strings.Cut(kv, "=")
			if i, ok := index[name]; ok {
				out[i] = kv
				continue
			}
			index[name] = len(out)
			out = append(out, kv)
		}
	}
	return out
}
