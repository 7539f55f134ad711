package proxy

import "errors"

// Errors the package wraps, so that callers can use errors.Is. The admin
// API maps them to HTTP status codes in one place, statusOf.
var (
	// ErrInvalid means a configuration or a backend address is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrNoPool means no pool has the given name.
	ErrNoPool = errors.New("no such pool")
	// ErrNoFrontend means no HTTP frontend has the given name.
	ErrNoFrontend = errors.New("no such http frontend")
	// ErrNoBackend means a pool has no backend that is up.
	ErrNoBackend = errors.New("no backend available")
	// ErrExists means a pool of that name is already running.
	ErrExists = errors.New("already exists")
	// ErrInUse means a pool cannot be removed while a frontend uses it.
	ErrInUse = errors.New("in use")
	// ErrNotRunning means the Server is not started, or shut down.
	ErrNotRunning = errors.New("server not running")
)
