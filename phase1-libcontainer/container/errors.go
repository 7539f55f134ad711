package container

import "errors"

// The error categories of this package. Every error about a container's
// existence or state wraps one of them, so callers test with errors.Is.
// Malformed IDs wrap bundle.ErrInvalidID.
var (
	// ErrNotFound means no container has the given ID.
	ErrNotFound = errors.New("no such container")
	// ErrExists means the ID is already taken.
	ErrExists = errors.New("container already exists")
	// ErrNotRunning means the operation needs a live container.
	ErrNotRunning = errors.New("container is not running")
	// ErrRunning means the operation needs a stopped container.
	ErrRunning = errors.New("container is running")
	// ErrNotCreated means Start was called on a container that is not
	// waiting to be started.
	ErrNotCreated = errors.New("container is not in the created state")
	// ErrNotPaused means Resume was called on a container that is not
	// paused.
	ErrNotPaused = errors.New("container is not paused")
	// ErrNoExitStatus means a container has stopped but nobody recorded
	// how: the process that was waiting for it died first.
	ErrNoExitStatus = errors.New("exit status was not recorded")
)
