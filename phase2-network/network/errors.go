package network

import "errors"

// Errors that the Manager wraps, so that callers can use errors.Is.
var (
	// ErrNotFound means no network has the given name.
	ErrNotFound = errors.New("no such network")
	// ErrExists means a network, bridge or endpoint is already there.
	ErrExists = errors.New("already exists")
	// ErrInUse means a network still has containers attached.
	ErrInUse = errors.New("in use")
	// ErrOverlap means a subnet overlaps another network or a host route.
	ErrOverlap = errors.New("overlaps")
	// ErrNotAttached means a container is not on the given network.
	ErrNotAttached = errors.New("not attached")
	// ErrInvalid means a name, subnet or address is malformed.
	ErrInvalid = errors.New("invalid")
)
