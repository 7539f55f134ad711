package build

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// procfileLine is one line of a Procfile, "TYPE: COMMAND", as Heroku
// reads it: the type is letters, digits, '_' and '-'.
var procfileLine = regexp.MustCompile(`^([A-Za-z0-9_-]+):\s*(.+)$`)

// readProcfile returns the process types of the Procfile in dir, each
// as `sh -c COMMAND`, or nil when there is none. Blank lines and lines
// starting with '#' are skipped; anything else that is not TYPE: COMMAND
// is an error naming its line.
func readProcfile(dir string) (map[string][]string, error) {
	f, err := os.Open(filepath.Join(dir, "Procfile"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("build: Procfile: %w", err)
	}
	defer f.Close()

	procs := map[string][]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := procfileLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("build: Procfile line %d: want TYPE: COMMAND", n)
		}
		if _, dup := procs[m[1]]; dup {
			return nil, fmt.Errorf("build: Procfile line %d: type %s given twice", n, m[1])
		}
		procs[m[1]] = []string{"/bin/sh", "-c", m[2]}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("build: Procfile: %w", err)
	}
	if len(procs) == 0 {
		return nil, errors.New("build: Procfile: no process types")
	}
	return procs, nil
}
