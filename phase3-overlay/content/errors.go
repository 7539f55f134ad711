package content

import "errors"

// The error categories of this package; test for them with errors.Is.
var (
	// ErrNotFound means no blob has the digest.
	ErrNotFound = errors.New("blob not found")
	// ErrDigestMismatch means a blob's bytes do not hash to its digest:
	// a corrupt download on write, a damaged or tampered file on read.
	ErrDigestMismatch = errors.New("digest mismatch")
	// ErrInvalidDigest means a digest is malformed or uses an algorithm
	// other than sha256.
	ErrInvalidDigest = errors.New("invalid digest")
	// ErrTooLarge means a blob read into memory exceeds the given limit.
	ErrTooLarge = errors.New("blob too large")
)
