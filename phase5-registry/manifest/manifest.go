package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"shibafu.dev/phase5-registry/reference"
)

// Media types of the older Docker image format, still pushed by many
// tools and served unchanged.
const (
	MediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// MaxSize is the largest manifest accepted. The distribution spec says
// registries should accept at least 4 MiB and may refuse larger ones.
const MaxSize = 4 << 20

// ErrInvalid is wrapped by every error of Parse: the document is not a
// manifest the registry can store.
var ErrInvalid = errors.New("invalid manifest")

// Manifest is what the registry learns from a manifest or an index.
type Manifest struct {
	// MediaType is the document's type, from its mediaType field or, if
	// it has none, from the Content-Type it was pushed with.
	MediaType string
	// ArtifactType is the type the referrers API reports: the
	// artifactType field, or else an image manifest's config media type.
	ArtifactType string
	// Config is an image manifest's config blob; nil for an index.
	Config *ocispec.Descriptor
	// Layers are an image manifest's layer blobs.
	Layers []ocispec.Descriptor
	// Manifests are an index's child manifests.
	Manifests []ocispec.Descriptor
	// Subject is the manifest this one refers to, if any.
	Subject *ocispec.Descriptor
	// Annotations are copied into referrers responses.
	Annotations map[string]string
}

// IsIndex reports whether m lists manifests rather than blobs.
func (m *Manifest) IsIndex() bool { return IsIndex(m.MediaType) }

// IsIndex reports whether mediaType is one of the index types.
func IsIndex(mediaType string) bool {
	return mediaType == ocispec.MediaTypeImageIndex || mediaType == MediaTypeDockerList
}

// document holds every field of the four formats that Parse reads.
type document struct {
	SchemaVersion *int                 `json:"schemaVersion"`
	MediaType     string               `json:"mediaType"`
	ArtifactType  string               `json:"artifactType"`
	Config        *ocispec.Descriptor  `json:"config"`
	Layers        []ocispec.Descriptor `json:"layers"`
	Manifests     []ocispec.Descriptor `json:"manifests"`
	Subject       *ocispec.Descriptor  `json:"subject"`
	Annotations   map[string]string    `json:"annotations"`
}

// Parse checks body, pushed with the Content-Type contentType (which
// may be empty), and returns what it refers to.
func Parse(contentType string, body []byte) (*Manifest, error) {
	if len(body) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes is over the %d byte limit", ErrInvalid,
			len(body), MaxSize)
	}
	var doc document
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the JSON document", ErrInvalid)
	}
	if doc.SchemaVersion == nil || *doc.SchemaVersion != 2 {
		return nil, fmt.Errorf("%w: schemaVersion must be 2", ErrInvalid)
	}
	mediaType, err := pickMediaType(contentType, &doc)
	if err != nil {
		return nil, err
	}

	m := &Manifest{MediaType: mediaType, ArtifactType: doc.ArtifactType,
		Subject: doc.Subject, Annotations: doc.Annotations}
	if IsIndex(mediaType) {
		m.Manifests = doc.Manifests
	} else {
		if doc.Config == nil {
			return nil, fmt.Errorf("%w: an image manifest needs a config", ErrInvalid)
		}
		m.Config, m.Layers = doc.Config, doc.Layers
		if m.ArtifactType == "" {
			m.ArtifactType = doc.Config.MediaType
		}
	}
	if err := m.checkDescriptors(); err != nil {
		return nil, err
	}
	return m, nil
}

// pickMediaType decides the type of doc: its own mediaType field first,
// then the Content-Type header, then its shape. A field and a header
// that disagree are refused, as the spec asks.
func pickMediaType(contentType string, doc *document) (string, error) {
	header := ""
	if contentType != "" {
		if t, _, err := mime.ParseMediaType(contentType); err == nil {
			header = t
		}
	}
	mt := doc.MediaType
	switch {
	case mt != "" && header != "" && mt != header && isKnown(header):
		return "", fmt.Errorf("%w: mediaType %q but Content-Type %q", ErrInvalid, mt, header)
	case mt == "" && isKnown(header):
		mt = header
	case mt == "" && doc.Manifests != nil:
		mt = ocispec.MediaTypeImageIndex
	case mt == "":
		mt = ocispec.MediaTypeImageManifest
	}
	if !isKnown(mt) {
		return "", fmt.Errorf("%w: unsupported media type %q", ErrInvalid, mt)
	}
	if IsIndex(mt) && doc.Config != nil {
		return "", fmt.Errorf("%w: an index has no config", ErrInvalid)
	}
	return mt, nil
}

func isKnown(mediaType string) bool {
	switch mediaType {
	case ocispec.MediaTypeImageManifest, ocispec.MediaTypeImageIndex,
		MediaTypeDockerManifest, MediaTypeDockerList:
		return true
	}
	return false
}

// checkDescriptors makes sure that every descriptor names a usable
// digest and a size, so that later steps may trust them.
func (m *Manifest) checkDescriptors() error {
	all := append(append([]ocispec.Descriptor{}, m.Layers...), m.Manifests...)
	if m.Config != nil {
		all = append(all, *m.Config)
	}
	if m.Subject != nil {
		all = append(all, *m.Subject)
	}
	for _, d := range all {
		if err := checkDescriptor(d); err != nil {
			return err
		}
	}
	return nil
}

func checkDescriptor(d ocispec.Descriptor) error {
	if _, err := reference.ParseDigest(d.Digest.String()); err != nil {
		return fmt.Errorf("%w: descriptor: %w", ErrInvalid, err)
	}
	if d.Size < 0 {
		return fmt.Errorf("%w: descriptor %s: negative size", ErrInvalid, d.Digest)
	}
	if d.MediaType == "" {
		return fmt.Errorf("%w: descriptor %s: no mediaType", ErrInvalid, d.Digest)
	}
	return nil
}

// Blobs returns the blobs an image manifest needs the registry to hold:
// its config and the layers that are not marked as kept elsewhere
// (descriptors with urls, or the deprecated non-distributable types).
func (m *Manifest) Blobs() []ocispec.Descriptor {
	if m.Config == nil {
		return nil
	}
	out := []ocispec.Descriptor{*m.Config}
	for _, l := range m.Layers {
		if len(l.URLs) == 0 && !isForeign(l.MediaType) {
			out = append(out, l)
		}
	}
	return out
}

func isForeign(mediaType string) bool {
	// The non-distributable types are deprecated, but old images still
	// carry them, so a registry must still recognise them.
	switch mediaType {
	case "application/vnd.oci.image.layer.nondistributable.v1.tar",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
		"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
		return true
	}
	return false
}

// References returns every digest m points to that garbage collection
// must keep: blobs and child manifests, but not the subject, which a
// referrer does not own.
func (m *Manifest) References() []digest.Digest {
	var out []digest.Digest
	for _, d := range m.Blobs() {
		out = append(out, d.Digest)
	}
	for _, d := range m.Manifests {
		out = append(out, d.Digest)
	}
	return out
}
