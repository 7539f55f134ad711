package api

import (
	"errors"
	"net/http"

	rtapi "shibafu.dev/phase7-runtime/api"
)

// The error categories of the API, as in the runtime's API: the server
// wraps an error in one, turns it into an HTTP status, and the client
// turns the status back, so that callers on both sides use errors.Is.
var (
	// ErrInvalid means the request is malformed: a bad app name, env
	// var name, scale or body.
	ErrInvalid = errors.New("invalid argument")
	// ErrUnauthorized means the request has no token, or a wrong one.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound means an app, release or domain does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the request clashes with the current state: an
	// app name taken, a deploy of the app under way.
	ErrConflict = errors.New("conflict")
	// ErrTooLarge means an upload is larger than the server accepts.
	ErrTooLarge = errors.New("too large")
	// ErrUnavailable means the server cannot be reached. The client
	// makes it; it never crosses the wire.
	ErrUnavailable = errors.New("server unavailable")
)

// statuses is the one table between categories and HTTP statuses.
var statuses = []struct {
	category error
	status   int
}{
	{ErrInvalid, http.StatusBadRequest},
	{ErrUnauthorized, http.StatusUnauthorized},
	{ErrNotFound, http.StatusNotFound},
	{ErrConflict, http.StatusConflict},
	{ErrTooLarge, http.StatusRequestEntityTooLarge},
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

// Error is the body of every failed response, the same as the
// runtime's: {"message": "..."}.
type Error = rtapi.Error

// WithCategory puts err in category, reading as err's own message while
// errors.Is also finds the category; a nil err stays nil. It is the
// runtime's: the PaaS only has more categories.
func WithCategory(category, err error) error {
	return rtapi.WithCategory(category, err)
}
