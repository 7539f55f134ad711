package storage

import "errors"

// The errors of this package. The registry maps each to an error code
// of the distribution spec (in package registry, file errors.go).
var (
	// ErrBlobUnknown: the blob is not in the repository.
	ErrBlobUnknown = errors.New("blob unknown")
	// ErrManifestUnknown: no such manifest or tag in the repository.
	ErrManifestUnknown = errors.New("manifest unknown")
	// ErrNameUnknown: no such repository.
	ErrNameUnknown = errors.New("repository name unknown")
	// ErrUploadUnknown: no such upload in progress.
	ErrUploadUnknown = errors.New("blob upload unknown")
	// ErrDigestMismatch: content does not hash to the digest it claims.
	ErrDigestMismatch = errors.New("digest mismatch")
	// ErrRangeInvalid: a chunk does not start where the upload ends.
	ErrRangeInvalid = errors.New("chunk out of order")
	// ErrTooLarge: the content is over a configured size limit.
	ErrTooLarge = errors.New("content too large")
	// ErrManifestBlobUnknown: a manifest points to content not pushed.
	ErrManifestBlobUnknown = errors.New("manifest references unknown content")
)
