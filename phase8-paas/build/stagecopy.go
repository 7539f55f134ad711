package build

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// copyFrom runs COPY --from=from: the sources are paths in an earlier
// stage's image, or in another image, rather than in the source
// directory. They are read out of a container of that image that is
// created and never started, and land as COPY's do.
func (d *dockerfile) copyFrom(ctx context.Context, text, from string,
	sd *instructions.SourcesAndDest) error {
	l, dir, err := d.collectFrom(ctx, from, sd)
	if err != nil {
		d.begin(text)
		return d.fail(text, err)
	}
	defer l.Close()
	return d.copyFiles(ctx, text, l, dir)
}

// collectFrom is collect for COPY --from: it puts the sources, paths
// from the root of the image from names, in a tar stream laid out as
// they land in the directory it returns.
func (d *dockerfile) collectFrom(ctx context.Context, from string,
	sd *instructions.SourcesAndDest) (_ *layerFile, dir string, err error) {
	if len(sd.SourceContents) > 0 {
		return nil, "", errors.New("here-documents are not supported")
	}
	from, err = d.expandWith(from, envMap(nil, d.metaArgs))
	if err != nil {
		return nil, "", fmt.Errorf("--from=%s: %w", from, err)
	}
	image := ""
	if st := d.stageBuilt(from, true, d.cur); st != nil {
		image = st.image
	} else {
		img, err := d.findImage(ctx, from)
		if err != nil {
			return nil, "", fmt.Errorf("--from=%s: neither an earlier stage nor an image: %w",
				from, err)
		}
		image = img.Digest
	}
	for _, src := range sd.SourcePaths {
		if strings.ContainsAny(src, "*?[") {
			return nil, "", fmt.Errorf("%s: patterns are not supported with --from", src)
		}
		if path.Join("/", src) == "/" {
			return nil, "", fmt.Errorf("%s: copying a whole image is not supported", src)
		}
	}

	req := d.containerRequest([]string{"/bin/true"})
	req.Image = image
	ctr, err := d.b.Runtime.Create(ctx, req)
	if err != nil {
		return nil, "", err
	}
	defer func() { err = errors.Join(err, d.remove(ctx, ctr.ID)) }()

	l, err := newLayerFile()
	if err != nil {
		return nil, "", err
	}
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	dest, toDir := d.destination(sd.DestPath, len(sd.SourcePaths))
	dir = dest
	for _, src := range sd.SourcePaths {
		name := "" // a directory's content goes at the top
		if !toDir {
			name = path.Base(dest) // a file, if it is one, is renamed
		}
		isFile, err := d.copyOut(ctx, l, ctr.ID, path.Join("/", src), name)
		if err != nil {
			return nil, "", err
		}
		if isFile && !toDir {
			dir = path.Dir(dest)
		}
	}
	return l, dir, l.finish()
}

// copyOut adds the file or tree at p in the container id to l: a file
// as name (its own if name is ""), a directory's content at the top. It
// reports whether p was a file.
func (d *dockerfile) copyOut(ctx context.Context, l *layerFile, id, p, name string) (
	isFile bool, err error) {
	rc, err := d.b.Runtime.CopyFrom(ctx, id, p)
	if err != nil {
		return false, fmt.Errorf("%s: %w", p, err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	top := ""
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return isFile, nil
		}
		if err != nil {
			return false, fmt.Errorf("%s: %w", p, err)
		}
		entry := strings.TrimSuffix(hdr.Name, "/")
		if top == "" { // the first entry is p itself
			top, isFile = entry, hdr.Typeflag != tar.TypeDir
			if !isFile {
				continue
			}
			if name == "" {
				name = path.Base(p)
			}
			entry = name
		} else {
			entry = below(top, entry)
		}
		if err := l.addEntry(hdr, entry, tr); err != nil {
			return false, fmt.Errorf("%s: %w", p, err)
		}
	}
}
