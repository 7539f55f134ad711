package reference

import (
	_ "crypto/sha256" // so that go-digest can hash with sha256
	_ "crypto/sha512" // and with sha512
	"errors"
	"fmt"
	"regexp"

	"github.com/opencontainers/go-digest"
)

// ErrInvalid is wrapped by every error of this package: the text did not
// follow the spec's grammar.
var ErrInvalid = errors.New("invalid reference")

// MaxNameLength bounds a repository name. The spec lets registries limit
// names; 255 characters is what most clients assume.
const MaxNameLength = 255

var (
	nameGrammar = regexp.MustCompile(
		`^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$`)
	tagGrammar = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
)

// ValidateName checks a repository name, such as "library/busybox",
// against the spec's <name> grammar.
func ValidateName(name string) error {
	if len(name) > MaxNameLength || !nameGrammar.MatchString(name) {
		return fmt.Errorf("%w: repository name %q", ErrInvalid, name)
	}
	return nil
}

// ValidateTag checks a tag, such as "v1.36", against the spec's <tag>
// grammar.
func ValidateTag(tag string) error {
	if !tagGrammar.MatchString(tag) {
		return fmt.Errorf("%w: tag %q", ErrInvalid, tag)
	}
	return nil
}

// ParseDigest parses "algorithm:hex" and accepts the two algorithms the
// registry stores, sha256 and sha512, with hex of the right length.
func ParseDigest(s string) (digest.Digest, error) {
	d, err := digest.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w: digest %q: %w", ErrInvalid, s, err)
	}
	if d.Algorithm() != digest.SHA256 && d.Algorithm() != digest.SHA512 {
		return "", fmt.Errorf("%w: digest %q: unsupported algorithm", ErrInvalid, s)
	}
	return d, nil
}
