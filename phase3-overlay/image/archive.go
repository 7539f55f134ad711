package image

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase3-overlay/content"
)

// Export writes the images refs to w as a tar archive of an OCI image
// layout: oci-layout, an index.json naming just these images, and every
// blob they use, each read back verified. `tar x` of the archive gives a
// directory that umoci and skopeo open.
func (s *Store) Export(ctx context.Context, w io.Writer, refs ...string) error {
	idx := emptyIndex()
	for _, ref := range refs {
		d, err := s.Resolve(ref)
		if err != nil {
			return err
		}
		idx.Manifests = append(idx.Manifests, d)
	}
	tw := tar.NewWriter(w)
	layout, _ := json.Marshal(ocispec.ImageLayout{Version: ocispec.ImageLayoutVersion})
	if err := writeMember(tw, ocispec.ImageLayoutFile, layout); err != nil {
		return err
	}

	err := walk(s.content, idx.Manifests, func(d ocispec.Descriptor) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return s.exportBlob(tw, d)
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	// index.json comes last: an importer that reads it knows every blob
	// it names has already gone by.
	data, _ := json.MarshalIndent(idx, "", "  ")
	if err := writeMember(tw, ocispec.ImageIndexFile, data); err != nil {
		return err
	}
	return tw.Close()
}

// exportBlob copies blob d into the archive at blobs/sha256/HEX.
func (s *Store) exportBlob(tw *tar.Writer, d ocispec.Descriptor) error {
	size, err := s.content.Size(d.Digest)
	if err != nil {
		return err
	}
	r, err := s.content.Open(d.Digest)
	if err != nil {
		return err
	}
	defer r.Close()
	hdr := &tar.Header{
		Name: blobPath(d.Digest), Typeflag: tar.TypeReg, Mode: 0o644, Size: size,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, r) // the verifier fails here if the blob is damaged
	return err
}

func blobPath(d digest.Digest) string {
	return path.Join("blobs", string(d.Algorithm()), d.Encoded())
}

func writeMember(tw *tar.Writer, name string, data []byte) error {
	hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// ImportOptions control Import and ImportLayout.
type ImportOptions struct {
	// Progress, if set, is told how many bytes have been read.
	Progress Progress
	// Size is the archive's size for Progress, or 0 if unknown.
	Size int64
}

// Import reads a tar archive of an OCI image layout (as Export, `skopeo
// copy oci-archive:` or `tar c` of a layout directory write) and adds
// its images to the store under their names. Every blob is verified
// against its digest as it is stored; an image is named only once every
// blob it uses is present. It returns the imported images.
func (s *Store) Import(ctx context.Context, r io.Reader, opts ImportOptions) ([]*Image, error) {
	total := opts.Size
	if total == 0 {
		total = -1
	}
	counted := withProgress(r, opts.Progress, total)
	tr := tar.NewReader(counted)
	var idx *ocispec.Index
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read archive: %w", err)
		}
		name := strings.TrimPrefix(path.Clean(hdr.Name), "./")
		switch {
		case name == ocispec.ImageIndexFile:
			idx = &ocispec.Index{}
			if err := json.NewDecoder(io.LimitReader(tr, content.MaxJSON)).Decode(idx); err != nil {
				return nil, fmt.Errorf("%w: index.json: %w", ErrInvalidImage, err)
			}
		case strings.HasPrefix(name, "blobs/") && hdr.Typeflag == tar.TypeReg:
			if err := s.importBlob(ctx, name, tr); err != nil {
				return nil, err
			}
		}
	}
	if _, err := io.Copy(io.Discard, counted); err != nil { // the end padding
		return nil, fmt.Errorf("read archive: %w", err)
	}
	if idx == nil {
		return nil, fmt.Errorf("%w: archive has no index.json", ErrInvalidImage)
	}
	return s.adopt(idx.Manifests)
}

// importBlob stores the archive member blobs/ALG/HEX, checking that its
// bytes match the digest its name claims.
func (s *Store) importBlob(ctx context.Context, name string, r io.Reader) error {
	parts := strings.Split(name, "/")
	if len(parts) != 3 {
		return fmt.Errorf("%w: unexpected archive member %s", ErrInvalidImage, name)
	}
	want := digest.NewDigestFromEncoded(digest.Algorithm(parts[1]), parts[2])
	if _, _, err := s.content.Write(ctx, r, want); err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	return nil
}

// adopt names the images of an imported index, after checking that
// every blob each one uses is in the store.
func (s *Store) adopt(manifests []ocispec.Descriptor) ([]*Image, error) {
	var images []*Image
	for _, d := range manifests {
		err := walk(s.content, []ocispec.Descriptor{d}, func(b ocispec.Descriptor) error {
			if !s.content.Exists(b.Digest) {
				return fmt.Errorf("%w: blob %s is missing", ErrInvalidImage, b.Digest)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if err := s.SetRef(refOf(d), d); err != nil {
			return nil, err
		}
		img, err := s.load(d)
		if err != nil {
			return nil, err
		}
		img.Ref = refOf(d)
		images = append(images, img)
	}
	return images, nil
}
