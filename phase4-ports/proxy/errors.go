package proxy

import "errors"

// Errors the package wraps, so that callers can use errors.Is. The admin
// API maps them to HTTP status codes in one place, statusOf.
var (
	// ErrInvalid means a configuration or a backend address is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrNoPool means no pool has the given name.
	ErrNoPool = errors.New("no such pool")
	// ErrNoBackend means a pool has no backend that is up.
	ErrNoBackend = errors.New("no backend available")
)
