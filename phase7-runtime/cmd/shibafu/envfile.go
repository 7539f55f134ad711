package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// readEnvFiles reads files of environment variables, as `docker run
// --env-file` does it, on the client side: one NAME=value a line, blank
// lines and lines starting with # skipped, and a bare NAME taking its
// value from this command's environment (skipped if it has none).
func readEnvFiles(paths []string) ([]string, error) {
	var env []string
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--env-file: %w", err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			switch name, _, hasValue := strings.Cut(line, "="); {
			case line == "" || strings.HasPrefix(line, "#"):
			case name == "" || strings.ContainsAny(name, " \t"):
				f.Close()
				return nil, fmt.Errorf("--env-file %s:%d: want NAME=value, got %q", path, n, line)
			case hasValue:
				env = append(env, line)
			default:
				if v, ok := os.LookupEnv(name); ok {
					env = append(env, name+"="+v)
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("--env-file %s: %w", path, err)
		}
	}
	return env, nil
}

// parseLabels turns --label KEY=value flags into a map; a bare KEY gets
// an empty value.
func parseLabels(flags []string) map[string]string {
	if len(flags) == 0 {
		return nil
	}
	labels := map[string]string{}
	for _, l := range flags {
		k, v, _ := strings.Cut(l, "=")
		labels[k] = v
	}
	return labels
}
