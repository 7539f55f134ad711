package image

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// refGrammar is the grammar of org.opencontainers.image.ref.name
// (image-spec "annotations.md"): components of letters and digits,
// joined by single separators among - . _ : @ + (or "--"), split by "/".
// So "busybox", "busybox:1.36" and "shibafu/app:v2" are names.
var refGrammar = regexp.MustCompile(
	`^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$`)

// ValidateRef checks that name can name an image in index.json.
func ValidateRef(name string) error {
	if len(name) > 255 || !refGrammar.MatchString(name) {
		return fmt.Errorf("%w: %q", ErrInvalidRef, name)
	}
	return nil
}

// refOf returns the name a descriptor of index.json carries, if any.
func refOf(d ocispec.Descriptor) string {
	return d.Annotations[ocispec.AnnotationRefName]
}

// withRef returns a copy of d named ref (or unnamed, for an empty ref).
func withRef(d ocispec.Descriptor, ref string) ocispec.Descriptor {
	annotations := map[string]string{}
	for k, v := range d.Annotations {
		annotations[k] = v
	}
	delete(annotations, ocispec.AnnotationRefName)
	if ref != "" {
		annotations[ocispec.AnnotationRefName] = ref
	}
	if len(annotations) == 0 {
		annotations = nil
	}
	d.Annotations = annotations
	return d
}

// Resolve returns the index.json entry for ref: an image name, or the
// digest of a manifest ("sha256:...").
func (s *Store) Resolve(ref string) (ocispec.Descriptor, error) {
	idx, err := s.readIndex()
	if err != nil {
		return ocispec.Descriptor{}, err
	}
	d, ok := find(idx, ref)
	if !ok {
		return ocispec.Descriptor{}, fmt.Errorf("%w: %s", ErrNotFound, ref)
	}
	return d, nil
}

func find(idx *ocispec.Index, ref string) (ocispec.Descriptor, bool) {
	byDigest := digest.Digest(ref).Validate() == nil
	for _, d := range idx.Manifests {
		if refOf(d) == ref || (byDigest && d.Digest == digest.Digest(ref)) {
			return d, true
		}
	}
	return ocispec.Descriptor{}, false
}

// SetRef names the manifest or index d as ref in index.json, replacing
// the image that had the name before (like `docker tag`). An empty ref
// records d unnamed.
func (s *Store) SetRef(ref string, d ocispec.Descriptor) error {
	if ref != "" {
		if err := ValidateRef(ref); err != nil {
			return err
		}
	}
	if !s.content.Exists(d.Digest) {
		return fmt.Errorf("%w: manifest %s is not in the store", ErrInvalidImage, d.Digest)
	}
	d = withRef(d, ref)
	return s.update(func(idx *ocispec.Index) error {
		idx.Manifests = slices.DeleteFunc(idx.Manifests, func(old ocispec.Descriptor) bool {
			name := refOf(old)
			return (ref != "" && name == ref) || (name == "" && old.Digest == d.Digest)
		})
		idx.Manifests = append(idx.Manifests, d)
		return nil
	})
}

// Tag gives the image src the additional name dst.
func (s *Store) Tag(src, dst string) error {
	d, err := s.Resolve(src)
	if err != nil {
		return err
	}
	return s.SetRef(dst, d)
}

// Remove drops the name ref from index.json; given a digest, it drops
// every entry of that manifest. The blobs stay until GC finds them
// unused, since other images may share them.
func (s *Store) Remove(ref string) error {
	return s.update(func(idx *ocispec.Index) error {
		if _, ok := find(idx, ref); !ok {
			return fmt.Errorf("%w: %s", ErrNotFound, ref)
		}
		idx.Manifests = slices.DeleteFunc(idx.Manifests, func(d ocispec.Descriptor) bool {
			return refOf(d) == ref || d.Digest == digest.Digest(ref)
		})
		return nil
	})
}
