package reference

import (
	"fmt"
	"strings"

	"github.com/opencontainers/go-digest"
)

// Reference is an image reference as a user types it:
// HOST/NAME[:TAG][@DIGEST].
type Reference struct {
	// Host is the registry's "host[:port]", such as "127.0.0.1:5000".
	Host string
	// Name is the repository, such as "library/busybox".
	Name string
	// Tag is the tag, or empty when only a digest was given.
	Tag string
	// Digest pins the manifest; it wins over Tag when both are set.
	Digest digest.Digest
}

// Parse splits an image reference such as
// "127.0.0.1:5000/library/busybox:1.36" or "localhost:5000/app@sha256:...".
// The host is the part before the first "/" and is required, since
// Shibafu has no default registry. Without a tag or digest, the tag is
// "latest".
func Parse(s string) (Reference, error) {
	var ref Reference
	host, rest, ok := strings.Cut(s, "/")
	if !ok || host == "" || strings.ContainsAny(host, "@ \t") {
		return ref, fmt.Errorf("%w: %q: want HOST/NAME[:TAG][@DIGEST]", ErrInvalid, s)
	}
	ref.Host = host

	if name, dig, ok := strings.Cut(rest, "@"); ok {
		d, err := ParseDigest(dig)
		if err != nil {
			return ref, err
		}
		ref.Digest, rest = d, name
	}
	// A tag follows the last ":" after the last "/" of the name.
	if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
		rest, ref.Tag = rest[:i], rest[i+1:]
		if err := ValidateTag(ref.Tag); err != nil {
			return ref, err
		}
	}
	if err := ValidateName(rest); err != nil {
		return ref, err
	}
	ref.Name = rest
	if ref.Tag == "" && ref.Digest == "" {
		ref.Tag = "latest"
	}
	return ref, nil
}

// Reference returns what to ask the registry for in
// /v2/<name>/manifests/<reference>: the digest when set, else the tag.
func (r Reference) Reference() string {
	if r.Digest != "" {
		return r.Digest.String()
	}
	return r.Tag
}

// String puts the reference back together in its usual form.
func (r Reference) String() string {
	s := r.Host + "/" + r.Name
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest.String()
	}
	return s
}
