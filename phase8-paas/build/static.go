package build

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"shibafu.dev/phase7-runtime/api"
)

// StaticRoot is where a static site's files are in its image.
const StaticRoot = "/www"

// staticCmd serves StaticRoot with busybox httpd in the foreground, on
// $PORT (8080 when unset).
var staticCmd = []string{"/bin/sh", "-c", "exec httpd -f -p ${PORT:-8080} -h " + StaticRoot}

// staticSite builds a static site: its files (those of public/ if the
// site is there) on the base image, served by busybox httpd.
func (j *job) staticSite(ctx context.Context) error {
	j.total = 3
	top := "."
	if !isFile(filepath.Join(j.req.Dir, "index.html")) &&
		isFile(filepath.Join(j.req.Dir, "public", "index.html")) {
		top = "public"
	}
	if err := j.from(ctx, BaseImage); err != nil {
		return err
	}
	l, err := newLayerFile()
	if err != nil {
		return err
	}
	defer l.Close()
	if err := j.src.add(l, top, ""); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := l.finish(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := j.copyFiles(ctx, "COPY "+top+" "+StaticRoot, l, StaticRoot); err != nil {
		return err
	}
	cmd, _ := json.Marshal(staticCmd)
	return j.setConfig(ctx, "CMD "+string(cmd), func(cfg *api.ImageConfig) {
		cfg.Cmd, cfg.Entrypoint, cfg.WorkingDir = staticCmd, nil, StaticRoot
	})
}
