package portmap

import "errors"

// Errors that the Manager and Parse wrap, so that callers can use
// errors.Is.
var (
	// ErrInvalid means a port, protocol, address or spec is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrPortTaken means the host port is already published or bound by
	// a process.
	ErrPortTaken = errors.New("port already taken")
	// ErrNotFound means no mapping matches.
	ErrNotFound = errors.New("no such mapping")
)
