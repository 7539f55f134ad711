package image

import "errors"

// The error categories of this package; test for them with errors.Is.
// Blob errors wrap the categories of package content.
var (
	// ErrNotFound means no image has the given name or digest.
	ErrNotFound = errors.New("image not found")
	// ErrInvalidRef means a name does not follow the grammar of
	// org.opencontainers.image.ref.name.
	ErrInvalidRef = errors.New("invalid image name")
	// ErrInvalidImage means a layout, manifest or config is malformed or
	// incomplete.
	ErrInvalidImage = errors.New("invalid image")
)
