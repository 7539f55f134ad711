package api

import (
	"errors"
	"net/http"
)

// The error categories of the API. The daemon wraps every error it
// returns in one of them (or none, for an internal failure), the server
// turns the category into an HTTP status, and the client turns the
// status back into the category, so that callers on both sides of the
// socket test with errors.Is.
var (
	// ErrInvalid means the request is malformed: a bad port spec,
	// memory size, name or flag.
	ErrInvalid = errors.New("invalid argument")
	// ErrNotFound means a container, image or network does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the request clashes with the current state: a
	// name in use, a running container to remove, a port taken.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means the daemon cannot be reached at all. It never
	// crosses the socket: the client makes it.
	ErrUnavailable = errors.New("daemon unavailable")
)

// statuses is the one table between categories and HTTP statuses.
var statuses = []struct {
	category error
	status   int
}{
	{ErrInvalid, http.StatusBadRequest},
	{ErrNotFound, http.StatusNotFound},
	{ErrConflict, http.StatusConflict},
	{ErrUnavailable, http.StatusServiceUnavailable},
}

// Status returns the HTTP status of err's category, 500 for none.
func Status(err error) int {
	for _, s := range statuses {
		if errors.Is(err, s.category) {
			return s.status
		}
	}
	return http.StatusInternalServerError
}

// Category returns the category an HTTP status stands for, or nil.
func Category(status int) error {
	for _, s := range statuses {
		if s.status == status {
			return s.category
		}
	}
	return nil
}

// Error is the body of every failed response.
type Error struct {
	// Message says what went wrong, for a person.
	Message string `json:"message"`
}

// Categorized is an error that belongs to a category while reading as
// its own message alone: Error() is Err's text, and errors.Is finds both
// Err's chain and Category.
type Categorized struct {
	Category error
	Err      error
}

// Error returns the message of the wrapped error.
func (e *Categorized) Error() string { return e.Err.Error() }

// Unwrap returns both the wrapped error and the category.
func (e *Categorized) Unwrap() []error { return []error{e.Err, e.Category} }

// WithCategory puts err in category; a nil err stays nil.
func WithCategory(category, err error) error {
	if err == nil {
		return nil
	}
	return &Categorized{Category: category, Err: err}
}
